//! What a program asks of, or tells, the world beyond its screen:
//! clipboard writes and reads (OSC 52), desktop notifications (OSC 9,
//! OSC 777;notify, OSC 99) and a shell's prompt marks (OSC 133). The
//! terminal only records them, bounded; whoever runs it decides what
//! reaches whom.

/// The most a clipboard write may carry, decoded (a paste of a large file
/// is fine; a runaway program is not).
pub const MAX_CLIPBOARD_BYTES: usize = 1 << 20;
/// Longest notification title or body kept, in characters.
const MAX_NOTIFY_CHARS: usize = 1024;
/// Signals waiting to be taken; older ones give way.
pub(crate) const MAX_PENDING: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// OSC 52 with data: put `text` on the clipboards named by `target`
    /// (`c`, `p`, `s`…, as the program wrote them).
    Copy {
        target: String,
        text: String,
    },
    /// OSC 52 with `?`: the program asks what the clipboard holds.
    Paste {
        target: String,
    },
    Notify(Notification),
    /// A shell's semantic prompt mark (OSC 133, FinalTerm's).
    Prompt(PromptMark),
}

/// Where a shell is in its prompt–command–output cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptMark {
    /// `A`: a prompt starts.
    PromptStart,
    /// `B`: the prompt ends, the command line starts.
    CommandStart,
    /// `C`: the command runs (its output follows); kitty's `cmdline=` /
    /// `cmdline_url=` carry the command line, where the shell sends it.
    CommandExecuted { cmdline: Option<String> },
    /// `D`: the command finished, with its exit status when given.
    CommandFinished { status: Option<i32> },
}

/// A desktop notification, in the form it came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub kind: NotifyKind,
    pub title: Option<String>,
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotifyKind {
    /// iTerm2's `OSC 9 ; body`.
    Osc9,
    /// rxvt's `OSC 777 ; notify ; title ; body`.
    Osc777,
    /// kitty's `OSC 99 ; metadata ; payload`.
    Osc99,
}

impl Notification {
    /// The escape sequence that shows it on a terminal, in its own form.
    pub fn encode(&self) -> String {
        let clean = |s: &str| s.chars().filter(|c| !c.is_control()).collect::<String>();
        let (title, body) = (clean(self.title.as_deref().unwrap_or("")), clean(&self.body));
        match self.kind {
            NotifyKind::Osc9 => format!("\x1b]9;{body}\x1b\\"),
            NotifyKind::Osc777 => format!("\x1b]777;notify;{title};{body}\x1b\\"),
            // A title chunk that is not the last, then the body.
            NotifyKind::Osc99 if title.is_empty() => format!("\x1b]99;;{body}\x1b\\"),
            NotifyKind::Osc99 => format!("\x1b]99;i=1:d=0;{title}\x1b\\\x1b]99;i=1:p=body;{body}\x1b\\"),
        }
    }
}

/// The signal an OSC carries, if it is one of ours and well formed.
pub(crate) fn parse(params: &[&[u8]]) -> Option<Signal> {
    // The parser splits at every `;`: a body may hold some.
    let joined = |rest: &[&[u8]]| {
        let text = rest.iter().map(|p| String::from_utf8_lossy(p)).collect::<Vec<_>>().join(";");
        text.chars().take(MAX_NOTIFY_CHARS).collect::<String>()
    };
    match params {
        [b"52", target, data] => {
            let target = String::from_utf8_lossy(target).into_owned();
            if *data == b"?" {
                return Some(Signal::Paste { target });
            }
            if data.len() > MAX_CLIPBOARD_BYTES / 3 * 4 + 4 {
                return None;
            }
            let text = String::from_utf8(base64_decode(data)?).ok()?;
            Some(Signal::Copy { target, text })
        }
        // `OSC 9 ; 4 ; state ; progress` is ConEmu's progress bar, not a
        // notification.
        [b"9", b"4", ..] => None,
        [b"9", rest @ ..] if !rest.is_empty() => {
            Some(Signal::Notify(Notification { kind: NotifyKind::Osc9, title: None, body: joined(rest) }))
        }
        [b"777", b"notify", title, rest @ ..] => Some(Signal::Notify(Notification {
            kind: NotifyKind::Osc777,
            title: Some(joined(&[title])),
            body: joined(rest),
        })),
        [b"133", kind, rest @ ..] => prompt_mark(kind, rest).map(Signal::Prompt),
        [b"99", metadata, rest @ ..] => {
            let meta = String::from_utf8_lossy(metadata);
            let field = |key: &str| meta.split(':').find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='));
            let raw = joined(rest);
            let payload = match field("e") {
                Some("1") => String::from_utf8(base64_decode(raw.as_bytes())?).ok()?,
                _ => raw,
            };
            let (title, body) = match field("p") {
                Some("body") => (None, payload),
                Some("title") | None => (Some(payload), String::new()),
                // Buttons, icons, queries: nothing to show.
                Some(_) => return None,
            };
            Some(Signal::Notify(Notification { kind: NotifyKind::Osc99, title, body }))
        }
        _ => None,
    }
}

/// OSC 133's `A`, `B`, `C` (with `cmdline=` or `cmdline_url=`) and `D`
/// (with the exit status).
fn prompt_mark(kind: &[u8], rest: &[&[u8]]) -> Option<PromptMark> {
    match kind {
        b"A" => Some(PromptMark::PromptStart),
        b"B" => Some(PromptMark::CommandStart),
        b"C" => {
            let cmdline = rest.iter().find_map(|p| {
                let p = String::from_utf8_lossy(p);
                if let Some(text) = p.strip_prefix("cmdline=") {
                    return Some(text.chars().take(MAX_NOTIFY_CHARS).collect());
                }
                let url = p.strip_prefix("cmdline_url=")?;
                Some(percent_decode(url).chars().take(MAX_NOTIFY_CHARS).collect())
            });
            Some(PromptMark::CommandExecuted { cmdline })
        }
        b"D" => {
            let status = rest.first().and_then(|s| std::str::from_utf8(s).ok()?.trim().parse().ok());
            Some(PromptMark::CommandFinished { status })
        }
        _ => None,
    }
}

/// `%XX` escapes decoded (what kitty's `cmdline_url=` carries).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Standard base64, padding optional; `None` on anything else.
pub fn base64_decode(data: &[u8]) -> Option<Vec<u8>> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let data: Vec<u8> = data.iter().copied().filter(|c| !c.is_ascii_whitespace()).collect();
    let trimmed = data.strip_suffix(b"==").or_else(|| data.strip_suffix(b"=")).unwrap_or(&data);
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in trimmed {
        acc = acc << 6 | u32::from(value(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Terminal;

    fn signals(input: &[u8]) -> Vec<Signal> {
        let mut t = Terminal::new(20, 5, 10);
        t.advance(input);
        t.take_signals()
    }

    #[test]
    fn clipboard_writes_and_reads() {
        assert_eq!(
            signals(b"\x1b]52;c;aGVsbG8gd29ybGQ=\x07"),
            [Signal::Copy { target: "c".into(), text: "hello world".into() }]
        );
        assert_eq!(signals(b"\x1b]52;;5pel5pys\x1b\\"), [Signal::Copy { target: "".into(), text: "日本".into() }]);
        assert_eq!(signals(b"\x1b]52;p;?\x07"), [Signal::Paste { target: "p".into() }]);
        // Not base64, not UTF-8, or too large: nothing.
        assert!(signals(b"\x1b]52;c;!!!\x07").is_empty());
        assert!(signals(b"\x1b]52;c;/w==\x07").is_empty());
        let huge = format!("\x1b]52;c;{}\x07", "QUFB".repeat(MAX_CLIPBOARD_BYTES / 3 + 2));
        assert!(signals(huge.as_bytes()).is_empty());
    }

    #[test]
    fn notifications_in_their_three_forms() {
        let n = |kind, title: Option<&str>, body: &str| {
            Signal::Notify(Notification { kind, title: title.map(Into::into), body: body.into() })
        };
        assert_eq!(
            signals(b"\x1b]9;build done; 3 warnings\x07"),
            [n(NotifyKind::Osc9, None, "build done; 3 warnings")]
        );
        assert!(signals(b"\x1b]9;4;1;50\x07").is_empty(), "a progress report");
        assert_eq!(signals(b"\x1b]777;notify;make;finished\x1b\\"), [n(NotifyKind::Osc777, Some("make"), "finished")]);
        assert_eq!(signals(b"\x1b]99;i=1:d=0;Hi\x1b\\"), [n(NotifyKind::Osc99, Some("Hi"), "")]);
        assert_eq!(signals(b"\x1b]99;i=1:p=body:e=1;aGVsbG8=\x1b\\"), [n(NotifyKind::Osc99, None, "hello")]);
        assert!(signals(b"\x1b]99;p=icon;x\x1b\\").is_empty());
        // The title's BEL is not a bell, and the screen is untouched.
        let mut t = Terminal::new(20, 5, 10);
        t.advance(b"\x1b]9;x\x07");
        assert_eq!(t.bell_count(), 0);
    }

    #[test]
    fn prompt_marks_with_the_command_line_and_exit_status() {
        assert_eq!(signals(b"\x1b]133;A\x07"), [Signal::Prompt(PromptMark::PromptStart)]);
        assert_eq!(signals(b"\x1b]133;B\x1b\\"), [Signal::Prompt(PromptMark::CommandStart)]);
        assert_eq!(
            signals(b"\x1b]133;C;cmdline=make test\x07"),
            [Signal::Prompt(PromptMark::CommandExecuted { cmdline: Some("make test".into()) })]
        );
        assert_eq!(
            signals(b"\x1b]133;C;cmdline_url=for%20i%20in%201%3B%20do%20x\x07"),
            [Signal::Prompt(PromptMark::CommandExecuted { cmdline: Some("for i in 1; do x".into()) })]
        );
        assert_eq!(signals(b"\x1b]133;C\x07"), [Signal::Prompt(PromptMark::CommandExecuted { cmdline: None })]);
        assert_eq!(signals(b"\x1b]133;D;2\x07"), [Signal::Prompt(PromptMark::CommandFinished { status: Some(2) })]);
        assert_eq!(signals(b"\x1b]133;D\x07"), [Signal::Prompt(PromptMark::CommandFinished { status: None })]);
        assert!(signals(b"\x1b]133;Z\x07").is_empty());
    }

    #[test]
    fn a_flood_keeps_the_newest_signals_only() {
        let flood: Vec<u8> = (0..200).flat_map(|i| format!("\x1b]9;n{i}\x07").into_bytes()).collect();
        let got = signals(&flood);
        assert_eq!(got.len(), MAX_PENDING);
        assert_eq!(
            got.last(),
            Some(&Signal::Notify(Notification { kind: NotifyKind::Osc9, title: None, body: "n199".into() }))
        );
    }

    #[test]
    fn notifications_are_written_back_without_controls() {
        let n = Notification { kind: NotifyKind::Osc777, title: Some("a\x1bb".into()), body: "c\x07d".into() };
        assert_eq!(n.encode(), "\x1b]777;notify;ab;cd\x1b\\");
        assert_eq!(base64_decode(b"aGk=").unwrap(), b"hi");
    }
}
