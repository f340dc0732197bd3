//! Layouts shared by the layout tests: Zellij's own and the forms they
//! exercise, each valid.

#![allow(dead_code)]

use std::path::Path;

use revenant_layout::{Layout, LayoutError};

pub const HOME: &str = "/home/u";

pub fn parse(text: &str) -> Result<Layout, LayoutError> {
    Layout::parse(Path::new("t.kdl"), text, Some(Path::new(HOME)))
}

pub const DEFAULT: &str = r#"
layout {
    pane size=1 borderless=true {
        plugin location="zellij:tab-bar"
    }
    pane
    pane size=2 borderless=true {
        plugin location="zellij:status-bar"
    }
}
"#;

pub const COMPACT: &str = r#"
layout {
    pane
    pane size=1 borderless=true {
        plugin location="zellij:compact-bar"
    }
}
"#;

pub const STRIDER: &str = r#"
layout {
    pane size=1 borderless=true {
        plugin location="zellij:tab-bar"
    }
    pane split_direction="vertical" {
        pane size="20%" {
            plugin location="zellij:strider"
        }
        pane
    }
    pane size=2 borderless=true {
        plugin location="zellij:status-bar"
    }
}
"#;

pub const DEFAULT_SWAP: &str = r#"
layout {
    tab_template name="ui" {
        pane size=1 borderless=true {
            plugin location="tab-bar"
        }
        children
        pane size=2 borderless=true {
            plugin location="status-bar"
        }
    }
    default_tab_template {
        pane size=1 borderless=true {
            plugin location="tab-bar"
        }
        children
        pane size=2 borderless=true {
            plugin location="status-bar"
        }
    }
    swap_tiled_layout name="vertical" {
        ui max_panes=5 {
            pane split_direction="vertical" {
                pane
                pane { children; }
            }
        }
        ui max_panes=8 {
            pane split_direction="vertical" {
                pane { children; }
                pane { pane; pane; pane; pane; }
            }
        }
    }
    swap_floating_layout name="staggered" {
        floating_panes
    }
}
"#;

pub const SESSION: &str = r#"
layout {
    cwd "/home/u"
    tab name="Tab #1" focus=true hide_floating_panes=true {
        pane size=1 borderless=true {
            plugin location="zellij:tab-bar"
        }
        pane split_direction="vertical" {
            pane command="htop" cwd="/tmp" focus=true {
                start_suspended true
            }
            pane cwd="projects" size="40%"
        }
        pane size=2 borderless=true {
            plugin location="zellij:status-bar"
        }
        floating_panes {
            pane command="bash" {
                start_suspended true
                x 10
                y 5
                width 40
                height 12
            }
        }
    }
    tab name="Tab #2" {
        pane contents_file="/tmp/contents.txt" name="old" close_on_exit=false
    }
    new_tab_template {
        pane size=1 borderless=true {
            plugin location="zellij:tab-bar"
        }
        pane
        pane size=2 borderless=true {
            plugin location="zellij:status-bar"
        }
    }
    swap_tiled_layout name="vertical" {
        tab max_panes=5 {
            pane size=1 borderless=true {
                plugin location="zellij:tab-bar"
            }
            pane split_direction="vertical" {
                pane
                pane { children; }
            }
        }
    }
}
"#;

pub const SPLITS: &str = r#"
layout {
    cwd "~/src"
    tab name="code" cwd="proj" split_direction="vertical" focus=true {
        pane size="30%" command="htop" {
            args "-d" "10"
            close_on_exit true
        }
        pane split_direction="horizontal" cwd="/abs" {
            pane name="editor" edit="main.rs" focus=true
            pane size=5 cwd="logs" command="tail" start_suspended=true {
                args "-f" "app.log"
            }
        }
        pane size=10 borderless=true exclude_from_sync=true
    }
    tab {
        pane
        pane
        pane
    }
}
"#;

pub const FLOATING: &str = r#"
layout {
    pane
    floating_panes {
        pane x=1 y=2 width=30 height=10 command="btm"
        pane {
            x "10%"
            y "20%"
            width "50%"
            height "50%"
            pinned true
            name "scratch"
        }
        pane
        pane x=90 width=30 cwd="~"
    }
}
"#;

pub const TEMPLATES: &str = r#"
layout {
    pane_template name="dev" split_direction="vertical" {
        pane size="40%"
        children
    }
    pane_template name="logs" command="tail" {
        args "-f" "/var/log/syslog"
    }
    tab_template name="ui" {
        pane size=1 borderless=true {
            plugin location="zellij:compact-bar"
        }
        children
    }
    default_tab_template {
        pane size=1 borderless=true {
            plugin location="zellij:tab-bar"
        }
        children
        pane size=2 borderless=true {
            plugin location="zellij:status-bar"
        }
    }
    tab name="one" {
        dev {
            pane command="vim"
            logs size=3
        }
    }
    ui name="two" {
        logs
    }
    tab name="three"
}
"#;

pub const PLUGINS_STACKED: &str = r#"
layout {
    pane split_direction="vertical" {
        pane size="25%" {
            plugin location="file:/opt/zjstatus.wasm" {
                format_left "{mode} {tabs}"
                hide_frame_for_single_pane true
                border_width 2
            }
        }
        pane stacked=true {
            pane
            pane expanded=true command="git" {
                args "log"
            }
            pane
        }
    }
    swap_tiled_layout name="vertical" {
        tab max_panes=5 {
            pane split_direction="vertical" {
                pane
                pane { children; }
            }
        }
    }
    swap_floating_layout {
        floating_panes max_panes=1 { pane; }
    }
}
"#;

pub const KDL_V2: &str = r#"
layout {
    pane size=1 borderless=#true { plugin location="zellij:tab-bar" }
    pane split_direction=vertical {
        pane focus=#true
        pane size="50%"
    }
}
"#;

pub const PROPS_AS_CHILDREN: &str = r#"
layout {
    tab {
        name "kids"
        focus true
        pane {
            name "a"
            focus true
            command "ls"
            cwd "/x"
            close_on_exit true
            size 10
            borderless true
        }
        pane
    }
}
"#;

/// Every valid layout above, for the fuzz test.
pub const VALID: &[&str] = &[
    DEFAULT,
    COMPACT,
    STRIDER,
    DEFAULT_SWAP,
    SESSION,
    SPLITS,
    FLOATING,
    TEMPLATES,
    PLUGINS_STACKED,
    KDL_V2,
    PROPS_AS_CHILDREN,
];
