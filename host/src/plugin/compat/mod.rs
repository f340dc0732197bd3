//! Components built for an earlier contract keep working: the host speaks
//! the current version (0.6.0) inside and translates at the boundary: to
//! 0.5.0 (`v5`), 0.4.0 (`v4`) or 0.3.0 (`v3`), and from there one version at
//! a time to 0.2.0 (`v2`) and on to 0.1.0 (`v1`).

/// A value of one contract version as the same-shaped value of another.
pub(crate) trait Convert<T> {
    fn convert(&self) -> T;
}

macro_rules! same {
    ($($t:ty),*) => {
        $(impl Convert<$t> for $t {
            fn convert(&self) -> $t {
                self.clone()
            }
        })*
    };
}

same!(String, bool, char, u8, u16, u32, u64);

impl<A: Convert<B>, B> Convert<Option<B>> for Option<A> {
    fn convert(&self) -> Option<B> {
        self.as_ref().map(Convert::convert)
    }
}

impl<A: Convert<B>, B> Convert<Vec<B>> for Vec<A> {
    fn convert(&self) -> Vec<B> {
        self.iter().map(Convert::convert).collect()
    }
}

impl<A: Convert<C>, B: Convert<D>, C, D> Convert<(C, D)> for (A, B) {
    fn convert(&self) -> (C, D) {
        (self.0.convert(), self.1.convert())
    }
}

/// A record, by the target's field names: fields the source has beyond
/// them (what 0.3.0 added) are left behind.
macro_rules! record {
    ($from:ident :: $t:ident => $to:ident { $($field:ident),* $(,)? }) => {
        impl Convert<$to::$t> for $from::$t {
            fn convert(&self) -> $to::$t {
                $to::$t { $($field: self.$field.convert()),* }
            }
        }
    };
}

/// A variant or enum, case by case; a case carries at most one payload.
macro_rules! cases {
    ($from:ident :: $t:ident => $to:ident { $($case:ident $(($x:ident))?),* $(,)? }) => {
        impl Convert<$to::$t> for $from::$t {
            fn convert(&self) -> $to::$t {
                match self {
                    $($from::$t::$case $(($x))? => $to::$t::$case $(($x.convert()))?),*
                }
            }
        }
    };
}

/// Key modifiers, flag by flag.
macro_rules! modifiers {
    ($from:ident => $to:ident) => {
        impl Convert<$to::Modifiers> for $from::Modifiers {
            fn convert(&self) -> $to::Modifiers {
                let mut out = $to::Modifiers::empty();
                for (from, to) in [
                    ($from::Modifiers::SHIFT, $to::Modifiers::SHIFT),
                    ($from::Modifiers::CTRL, $to::Modifiers::CTRL),
                    ($from::Modifiers::ALT, $to::Modifiers::ALT),
                ] {
                    if self.contains(from) {
                        out |= to;
                    }
                }
                out
            }
        }
    };
}

/// What kept its shape from 0.2.0 to 0.6.0 (0.5.0 only added a session's
/// `host`, and 0.6.0 a command's `env`, which the older versions leave
/// behind): the same tables for every step, so a version's file lists only
/// what changed in it.
macro_rules! unchanged_since_0_2 {
    ($new:ident => $old:ident $(; session_info + $($more:ident),*)?) => {
        // The serializer's manifest goes down; its answer comes back up.
        record!($new::Tab => $old { name, position, focused, hide_floating_panes, tiled, floating });
        record!($new::TiledNode => $old { size, borderless, body });
        cases!($new::TiledBody => $old { Split(s), Pane(p) });
        cases!($new::SplitDirection => $old { Horizontal, Vertical });
        cases!($new::Dimension => $old { Fixed(n), Percent(n) });
        record!($new::FloatingPane => $old { x, y, width, height, pinned, pane });
        record!($new::PluginRef => $old { location, configuration });
        record!($old::SerializedSession => $new { layout, sidecars });
        record!($old::Sidecar => $new { name, contents });
        cases!($old::LogLevel => $new { Trace, Debug, Info, Warn, Error });

        // Command discovery.
        record!($new::DiscoveredCommand => $old { argv, original_argv, cwd, pid, pane_id, shell });
        cases!($old::DiscoveryDecision => $new { Keep, Rewrite(r), Drop });

        // The session manager's events and session control.
        record!($new::SessionInfo => $old {
            name, state, created_unix, saved_unix, tabs, focused_tab, panes, pane_count, connected_clients,
            is_current, damaged, $($($more,)*)?
        });
        cases!($new::SessionState => $old { Live, Exited });
        record!($new::PaneSummary => $old { tab, title, command, cwd, x, y, cols, rows, focused, floating });
        record!($new::Generation => $old { id, saved_unix, tabs, panes, bytes, damaged });
        record!($new::LayoutInfo => $old { name, builtin });
        cases!($new::Event => $old { Key(k), SessionList(l), Resize(s), Timer(t) });
        record!($new::KeyEvent => $old { key, modifiers });
        cases!($new::Key => $old {
            Char(c), Enter, Esc, Tab, BackTab, Backspace, Delete, Insert, Up, Down, Left, Right, Home, End, PageUp,
            PageDown, F(n),
        });
        modifiers!($new => $old);
    };
}

/// A rewrite from before 0.6.0 names no variables: it keeps the
/// discovered ones.
macro_rules! rewrite_keeps_env {
    ($old:ident => $new:ident) => {
        impl Convert<$new::RewrittenCommand> for $old::RewrittenCommand {
            fn convert(&self) -> $new::RewrittenCommand {
                $new::RewrittenCommand { argv: self.argv.clone(), cwd: self.cwd.clone(), env: None }
            }
        }
    };
}

/// The layout's shape as 0.3.0 made it (swap layouts, stacks, colours,
/// `edit`, `expanded`), the same in every version since.
macro_rules! layout_since_0_3 {
    ($new:ident => $old:ident) => {
        record!($new::SessionManifest => $old { name, cwd, tabs, swap_layouts });
        record!($new::Split => $old { direction, children, stacked });
        record!($new::Pane => $old {
            id, name, cwd, command, plugin, focused, start_suspended, contents, default_fg, default_bg, edit, expanded,
        });
    };
}

pub(crate) mod v1;
pub(crate) mod v2;
pub(crate) mod v3;
pub(crate) mod v4;
pub(crate) mod v5;

/// Two steps at once: `x` as `M` (the version between), then as `T`.
pub(crate) fn via<M: Convert<T>, T>(x: &impl Convert<M>) -> T {
    x.convert().convert()
}
