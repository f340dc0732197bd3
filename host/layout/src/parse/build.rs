//! The second walk: raw panes and tabs become the public tree, with cwds
//! composed and conflicts and percent sums checked.

use std::path::{Path, PathBuf};

use crate::error::{ErrorKind, Fault};
use crate::{FloatingLayout, PaneNode, PaneSpec, Size, TabLayout};

use super::templates::*;
use super::values::*;

pub(super) fn expand_home(path: &str, home: Option<&Path>) -> PathBuf {
    match home {
        Some(home) if path == "~" => home.to_owned(),
        Some(home) if path.starts_with("~/") => home.join(&path[2..]),
        _ => PathBuf::from(path),
    }
}

pub(super) fn compose(base: Option<&Path>, cwd: &Sp<String>, home: Option<&Path>) -> Option<PathBuf> {
    match (base, cwd) {
        (base, None) => base.map(Path::to_owned),
        (None, Some((c, _))) => Some(expand_home(c, home)),
        (Some(base), Some((c, _))) => Some(base.join(expand_home(c, home))),
    }
}

pub(super) struct Builder<'h> {
    pub(super) home: Option<&'h Path>,
    pub(super) warnings: Vec<String>,
}

impl Builder<'_> {
    pub(super) fn percent_check(&self, children: &[PaneNode], raw: &[&RawPane]) -> Result<(), Fault> {
        let mut sum = 0u32;
        for (child, raw) in children.iter().zip(raw) {
            if let Some(Size::Percent(p)) = child.size {
                sum += u32::from(p);
                if sum > 100 {
                    let total: u32 = children
                        .iter()
                        .filter_map(|c| if let Some(Size::Percent(p)) = c.size { Some(u32::from(p)) } else { None })
                        .sum();
                    let span = raw.attrs.size.as_ref().map_or(raw.span, |(_, s)| *s);
                    return Err(Fault::new(
                        ErrorKind::PercentOverflow,
                        span,
                        format!("percent sizes in this split add up to {total}%"),
                        "past 100%",
                    )
                    .help("percentages of one split must add up to 100% or less"));
                }
            }
        }
        Ok(())
    }

    pub(super) fn split(&mut self, items: &[Item], cwd: Option<&Path>, stacked: bool) -> Result<Vec<PaneNode>, Fault> {
        let mut raws = Vec::new();
        for item in items {
            match item {
                Item::Pane(p) => raws.push(p),
                Item::Children(span) => {
                    return Err(Fault::new(
                        ErrorKind::MisplacedChildren,
                        *span,
                        "`children` is only allowed inside a template",
                        "outside a template",
                    ));
                }
            }
        }
        let nodes = raws.iter().map(|p| self.tiled(p, cwd, stacked)).collect::<Result<Vec<_>, _>>()?;
        self.percent_check(&nodes, &raws)?;
        Ok(nodes)
    }

    pub(super) fn tiled(
        &mut self,
        raw: &RawPane,
        parent_cwd: Option<&Path>,
        in_stack: bool,
    ) -> Result<PaneNode, Fault> {
        let a = &raw.attrs;
        for (key, span) in [
            ("x", a.x.as_ref().map(|s| s.1)),
            ("y", a.y.as_ref().map(|s| s.1)),
            ("width", a.width.as_ref().map(|s| s.1)),
            ("height", a.height.as_ref().map(|s| s.1)),
            ("pinned", a.pinned.as_ref().map(|s| s.1)),
        ] {
            if let Some(span) = span {
                return Err(Fault::new(
                    ErrorKind::UnknownProperty,
                    span,
                    format!("`{key}` is only for floating panes"),
                    "tiled pane",
                )
                .help("tiled panes take `size`; put the pane in `floating_panes { ... }` to place it freely"));
            }
        }
        let cwd = compose(parent_cwd, &a.cwd, self.home);
        let stacked = flag(&a.stacked);
        if raw.children.is_empty() {
            let spec = self.spec(raw, cwd, in_stack)?;
            return Ok(PaneNode {
                size: val(&a.size),
                borderless: flag(&a.borderless),
                split: val(&a.split).unwrap_or_default(),
                children: Vec::new(),
                pane: Some(spec),
                stacked: false,
                span: Some(raw.span),
            });
        }
        let runs = [
            ("command", a.command.as_ref().map(|s| s.1)),
            ("edit", a.edit.as_ref().map(|s| s.1)),
            ("plugin", a.plugin.as_ref().map(|s| s.1)),
            ("contents_file", a.contents_file.as_ref().map(|s| s.1)),
            ("args", a.args.as_ref().map(|s| s.1)),
        ];
        if let Some((key, Some(span))) = runs.into_iter().find(|(_, s)| s.is_some()) {
            return Err(Fault::new(
                ErrorKind::Conflict,
                span,
                format!("a pane that holds other panes cannot also have `{key}`"),
                "on a split",
            )
            .help("move it to one of the inner panes"));
        }
        let children = self.split(&raw.children, cwd.as_deref(), stacked)?;
        Ok(PaneNode {
            size: val(&a.size),
            borderless: flag(&a.borderless),
            split: val(&a.split).unwrap_or_default(),
            children,
            pane: None,
            stacked,
            span: Some(raw.span),
        })
    }

    pub(super) fn spec(&self, raw: &RawPane, cwd: Option<PathBuf>, in_stack: bool) -> Result<PaneSpec, Fault> {
        let a = &raw.attrs;
        let conflicts = [("command", "plugin"), ("command", "edit"), ("edit", "plugin")];
        let span_of = |key: &str| match key {
            "command" => a.command.as_ref().map(|s| s.1),
            "edit" => a.edit.as_ref().map(|s| s.1),
            _ => a.plugin.as_ref().map(|s| s.1),
        };
        for (k1, k2) in conflicts {
            if let (Some(s1), Some(s2)) = (span_of(k1), span_of(k2)) {
                let (first, second) = if s1.offset() <= s2.offset() { (s1, s2) } else { (s2, s1) };
                return Err(Fault::new(
                    ErrorKind::Conflict,
                    second,
                    format!("a pane cannot have both `{k1}` and `{k2}`"),
                    "conflicting setting",
                )
                .also(first, "the other one")
                .help("split them into two panes"));
            }
        }
        if let (Some((_, span)), None) = (&a.args, &a.command) {
            return Err(Fault::new(
                ErrorKind::Conflict,
                *span,
                "`args` without a `command`",
                "nothing to pass them to",
            )
            .help("add `command=\"...\"` to the pane"));
        }
        let command = val(&a.command).map(|c| {
            let mut argv = vec![c];
            argv.extend(val(&a.args).unwrap_or_default());
            argv
        });
        Ok(PaneSpec {
            name: val(&a.name),
            focus: flag(&a.focus),
            cwd,
            command,
            edit: val(&a.edit),
            close_on_exit: flag(&a.close_on_exit),
            start_suspended: flag(&a.start_suspended),
            contents_file: val(&a.contents_file).map(|f| expand_home(&f, self.home)),
            plugin: val(&a.plugin),
            stacked: in_stack,
            expanded: flag(&a.expanded),
            exclude_from_sync: flag(&a.exclude_from_sync),
            never_save_contents: a.save_contents.as_ref().is_some_and(|(save, _)| !*save),
            default_fg: val(&a.default_fg),
            default_bg: val(&a.default_bg),
            children_slot: false,
        })
    }

    pub(super) fn floating(&self, raw: &RawPane, cwd: Option<&Path>) -> Result<FloatingLayout, Fault> {
        if let Some(Item::Pane(p)) = raw.children.first() {
            return Err(Fault::new(
                ErrorKind::UnexpectedChildren,
                p.span,
                "a floating pane cannot hold other panes",
                "nested pane",
            ));
        }
        let a = &raw.attrs;
        for (key, span) in [
            ("size", a.size.as_ref().map(|s| s.1)),
            ("split_direction", a.split.as_ref().map(|s| s.1)),
            ("stacked", a.stacked.as_ref().map(|s| s.1)),
        ] {
            if let Some(span) = span {
                return Err(Fault::new(
                    ErrorKind::UnknownProperty,
                    span,
                    format!("a floating pane has no `{key}`"),
                    "floating pane",
                )
                .help("floating panes are placed with `x`, `y`, `width` and `height`"));
            }
        }
        Ok(FloatingLayout {
            x: val(&a.x),
            y: val(&a.y),
            width: val(&a.width),
            height: val(&a.height),
            pinned: flag(&a.pinned),
            borderless: flag(&a.borderless),
            pane: self.spec(raw, compose(cwd, &a.cwd, self.home), false)?,
        })
    }

    pub(super) fn tab(&mut self, raw: &RawTab, layout_cwd: Option<&Path>) -> Result<TabLayout, Fault> {
        let a = &raw.attrs;
        let cwd = compose(layout_cwd, &a.cwd, self.home);
        let items = if raw.panes.is_empty() { vec![plain_pane(raw.span)] } else { raw.panes.clone() };
        let children = self.split(&items, cwd.as_deref(), false)?;
        let root = PaneNode {
            size: None,
            borderless: false,
            split: val(&a.split).unwrap_or_default(),
            children,
            pane: None,
            stacked: false,
            span: Some(raw.span),
        };
        let floating = raw.floating.iter().map(|f| self.floating(f, cwd.as_deref())).collect::<Result<_, _>>()?;
        Ok(TabLayout {
            name: val(&a.name),
            focus: flag(&a.focus),
            cwd,
            hide_floating_panes: flag(&a.hide_floating_panes),
            root,
            floating,
        })
    }
}
