//! Handing memory back to the system when the server goes quiet. glibc
//! keeps freed heap in its arenas (one per thread that ever allocated, up to
//! eight per core), so what plugin calls and big saves once needed stays
//! resident unless asked back.

/// Caps glibc's arenas at two: the server's threads rarely allocate at the
/// same time, and each extra arena keeps its own freed memory.
///
/// With `big_saves` (snapshots carry screens), keeps the heap: such a save
/// allocates a few texts of megabytes and frees them again, and by default
/// glibc maps each anew or trims the heap after it, so the next save takes
/// a page fault per 4 KiB to get the memory back (two thirds of the time of
/// lifting a 9 MiB snapshot out of the plugin). Then texts up to 4 MiB come
/// from the heap and up to 32 MiB of free heap is kept while busy; [`trim`]
/// hands all of it back once the server goes quiet. Without screens the
/// default is kept: it holds less memory under heavy output.
pub fn limit_arenas(big_saves: bool) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters glibc documents
    // (M_ARENA_MAX -8, M_MMAP_THRESHOLD -3, M_TRIM_THRESHOLD -1), and it is
    // called before the server's threads start.
    unsafe {
        mallopt(-8, 2);
        if big_saves {
            mallopt(-3, 4 << 20);
            mallopt(-1, 32 << 20);
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = big_saves;
}

/// glibc's settings read when a process starts, before any code of ours.
const TUNABLES: &str = "GLIBC_TUNABLES";
/// Carries the user's own `GLIBC_TUNABLES` (`set:VALUE`, or `unset`) into
/// the server, which puts it back before it starts anything, so shells
/// in panes get the environment the user had.
const USERS_TUNABLES: &str = "REVENANT_USER_GLIBC_TUNABLES";
/// No per-thread cache of freed chunks. Each thread's cache holds up to 7
/// chunks of each of 64 sizes, which `malloc_trim` sees as in use: spread
/// across the heap by a save's few hundred kilobytes of KDL parsing, they
/// kept about 600 KiB of an idle server's 2 MiB of heap resident.
const SERVER_TUNABLES: &str = "glibc.malloc.tcache_count=0";

/// Sets a server's allocator tunables in the environment of `command`
/// (they can only be set when a process starts).
pub fn server_tunables(command: &mut std::process::Command) {
    let users = std::env::var(TUNABLES).ok();
    let tunables = match &users {
        Some(theirs) if !theirs.is_empty() => format!("{theirs}:{SERVER_TUNABLES}"),
        _ => SERVER_TUNABLES.to_string(),
    };
    command.env(TUNABLES, tunables);
    command.env(USERS_TUNABLES, users.map_or_else(|| "unset".to_string(), |v| format!("set:{v}")));
}

/// Puts the user's `GLIBC_TUNABLES` back (see [`server_tunables`]).
///
/// # Safety
/// Changes the environment: call it before the process has other threads.
pub unsafe fn restore_user_tunables() {
    let Ok(users) = std::env::var(USERS_TUNABLES) else { return };
    // SAFETY: the caller guarantees no other thread reads the environment.
    unsafe {
        match users.strip_prefix("set:") {
            Some(value) => std::env::set_var(TUNABLES, value),
            None => std::env::remove_var(TUNABLES),
        }
        std::env::remove_var(USERS_TUNABLES);
    }
}

/// Returns the free memory of every arena to the kernel.
pub fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes the allocator's own locks and only releases
    // pages that hold no allocation.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
unsafe extern "C" {
    fn mallopt(param: i32, value: i32) -> i32;
    fn malloc_trim(pad: usize) -> i32;
}

/// Lets the kernel take back the pages of machine code and read-only data
/// the process maps from files (its own executable, libc). They are read
/// from the files and never written, so they stay in the page cache and
/// come back with a minor fault when next used; meanwhile they no longer
/// count against the process, and the kernel may evict them under
/// pressure. Most of the code a plugin load or a big save runs (wasmtime,
/// the serializer's host side) is not needed again until the next save.
///
/// Only the executable's and the shared libraries' mappings, which stay
/// mapped for the life of the process: another thread may unmap any other
/// file mapping (a compiled plugin's code, when the plugin sleeps) between
/// the read of `smaps` and the advice, and the range may then hold new
/// memory that the advice would wipe.
pub fn release_code() {
    let Ok(smaps) = std::fs::read_to_string("/proc/self/smaps") else { return };
    let Ok(exe) = std::fs::read_link("/proc/self/exe") else { return };
    for (start, end) in clean_file_mappings(&smaps, &exe.to_string_lossy()) {
        // SAFETY: the range is a private, never-writable file mapping with
        // no copied-on-write pages; MADV_DONTNEED on it only drops page
        // table entries, and the next access maps the same file pages again.
        let _ = unsafe { rustix::mm::madvise(start as *mut _, end - start, rustix::mm::Advice::LinuxDontNeed) };
    }
}

/// The ranges of `smaps` that are private mappings of `exe` or of a shared
/// library, without write permission and without anonymous (copied)
/// pages. A read-only mapping that the loader relocated (RELRO) holds
/// copies, and is left alone.
fn clean_file_mappings(smaps: &str, exe: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    for line in smaps.lines() {
        let mut fields = line.split_whitespace();
        let first = fields.next().unwrap_or_default();
        if let Some((start, end)) = first.split_once('-')
            && let (Ok(start), Ok(end)) = (usize::from_str_radix(start, 16), usize::from_str_radix(end, 16))
        {
            let perms = fields.next().unwrap_or_default();
            let path = fields.nth(3).unwrap_or_default();
            let lasting = path == exe || path.ends_with(".so") || path.contains(".so.");
            let eligible = perms.len() == 4 && !perms.contains('w') && perms.ends_with('p') && lasting;
            current = eligible.then_some((start, end));
        } else if first == "Anonymous:"
            && let Some(range) = current.take()
            && fields.next() == Some("0")
        {
            out.push(range);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_clean_private_read_only_file_mappings_are_released() {
        let smaps = "\
55a0-55b0 r--p 00000000 08:01 12 /usr/bin/revenant
Rss: 8 kB
Anonymous: 0 kB
55b0-55c0 r-xp 00001000 08:01 12 /usr/bin/revenant
Anonymous: 0 kB
55c0-55d0 r--p 00002000 08:01 12 /usr/bin/revenant
Anonymous: 4 kB
55d0-55e0 rw-p 00003000 08:01 12 /usr/bin/revenant
Anonymous: 0 kB
55e0-55f0 r-xp 00000000 00:00 0
Anonymous: 8 kB
7f00-7f10 r-xs 00000000 08:01 13 /dev/shm/x
Anonymous: 0 kB
7f10-7f20 r-xp 00000000 08:01 14 /usr/lib/libc.so.6
Anonymous: 0 kB
7f20-7f30 r-xp 00000000 08:01 15 /cache/plugins/1234-abcd.cwasm
Anonymous: 0 kB
";
        assert_eq!(
            clean_file_mappings(smaps, "/usr/bin/revenant"),
            vec![(0x55a0, 0x55b0), (0x55b0, 0x55c0), (0x7f10, 0x7f20)],
            "a plugin's code may be unmapped at any moment: never advised"
        );
    }

    #[test]
    fn releasing_code_leaves_the_process_running() {
        release_code();
        // Code and read-only data come back on use.
        let v: Vec<String> = (0..100).map(|i| format!("{i}")).collect();
        assert_eq!(v[42], "42");
    }
}
