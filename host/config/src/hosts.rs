//! The `hosts` block: other machines whose sessions `revenant ls --all` and
//! the session manager list, each reached over ssh.
//!
//! ```kdl
//! hosts {
//!     host "devbox" "ssh://me@devbox"
//! }
//! ```
//! Only the shape is checked here (a label, an `ssh://` address without a
//! session); the host crate parses the address itself before using it.

use kdl::KdlNode;

use crate::error::{ErrorKind, Fault};
use crate::values;

/// One configured host: what the manager shows it as, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostEntry {
    pub label: String,
    /// `ssh://[user@]host[:port]`.
    pub address: String,
}

pub(crate) fn parse(node: &KdlNode) -> Result<Vec<HostEntry>, Fault> {
    let owner = values::name(node);
    values::reject_properties(node, &[], owner)?;
    if !values::arguments(node).is_empty() {
        return Err(Fault::new(
            ErrorKind::TooManyValues,
            values::name_span(node),
            "`hosts` is a block and takes no values",
            "a block",
        )
        .help("hosts { host \"devbox\" \"ssh://me@devbox\"; }"));
    }
    let mut hosts: Vec<HostEntry> = Vec::new();
    for child in node.children().map(|c| c.nodes()).unwrap_or_default() {
        let written = values::name(child);
        if written != "host" {
            return Err(Fault::new(
                ErrorKind::UnknownOption,
                values::name_span(child),
                format!("`hosts` holds `host` nodes, found `{written}`"),
                "not `host`",
            )
            .help("host \"devbox\" \"ssh://me@devbox\""));
        }
        values::reject_properties(child, &[], "host")?;
        values::reject_children(child, "host")?;
        let args = values::arguments(child);
        let [label, address] = args.as_slice() else {
            return Err(Fault::new(
                ErrorKind::MissingValue,
                values::name_span(child),
                format!("`host` takes a label and an address, found {} value(s)", args.len()),
                "needs two values",
            )
            .help("host \"devbox\" \"ssh://me@devbox\""));
        };
        let label_text = values::non_empty_string(label, "host")?;
        let address_text = values::non_empty_string(address, "host")?;
        if label_text.chars().any(|c| c.is_control() || c == '/') {
            return Err(Fault::new(
                ErrorKind::InvalidValue,
                label.span(),
                format!("host label {label_text:?} holds `/` or a control character"),
                "not a label",
            ));
        }
        let rest = address_text.strip_prefix("ssh://").ok_or_else(|| {
            Fault::new(
                ErrorKind::InvalidValue,
                address.span(),
                format!("host `{label_text}`: {address_text:?} is not an ssh:// address"),
                "not ssh://",
            )
            .help("write ssh://[user@]host[:port], where host may be an alias from ~/.ssh/config")
        })?;
        if rest.trim_end_matches('/').contains('/') || rest.trim_end_matches('/').is_empty() {
            return Err(Fault::new(
                ErrorKind::InvalidValue,
                address.span(),
                format!("host `{label_text}`: {address_text:?} must name a host and no session"),
                "a host, not a session",
            )
            .help("write ssh://[user@]host[:port]"));
        }
        if hosts.iter().any(|h| h.label == label_text) {
            return Err(Fault::new(
                ErrorKind::Duplicate,
                label.span(),
                format!("host `{label_text}` is listed twice"),
                "listed again here",
            ));
        }
        hosts.push(HostEntry { label: label_text.to_owned(), address: address_text.trim_end_matches('/').to_owned() });
    }
    Ok(hosts)
}
