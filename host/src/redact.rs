//! Secrets kept off the disk: a pane's saved screen and history pass
//! through these rules, gitleaks-style, before any serializer sees them,
//! so no plugin (built-in or not) can write a token it was never given.
//! The rules are data: the built-in table below, and config.kdl's
//! `secret_rules { rule "name" "regex" }`. A rule with a `secret` group
//! replaces only that group (`password=[REDACTED:…]` keeps its name).

use regex::{Regex, RegexSet};

/// config.kdl's rules (name, pattern), as a save carries them.
pub type SecretRules = std::sync::Arc<Vec<(String, String)>>;

/// Built-in rules: name, pattern.
const BUILTIN: &[(&str, &str)] = &[
    ("aws-access-key", r"\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b"),
    ("aws-secret-key", r#"(?i)aws_?secret_?access_?key["']?\s*[:=]\s*["']?(?P<secret>[A-Za-z0-9/+=]{40})"#),
    ("github-token", r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}\b"),
    ("github-fine-grained-token", r"\bgithub_pat_[A-Za-z0-9_]{82}\b"),
    ("gitlab-token", r"\bgl(?:pat|dt|ptt|rt)-[A-Za-z0-9_\-]{20,}"),
    ("slack-token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    ("slack-webhook", r"https://hooks\.slack\.com/services/[A-Za-z0-9+/]{20,}"),
    ("stripe-key", r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{24,}\b"),
    ("google-api-key", r"\bAIza[0-9A-Za-z\-_]{35}"),
    ("jwt", r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
    ("url-password", r"[a-z][a-z0-9+.-]*://[^\s:/@]+:(?P<secret>[^\s@/]{3,})@"),
    (
        "assignment",
        r#"(?i)\b(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|auth[_-]?token|client[_-]?secret)["']?\s*[:=]\s*["']?(?P<secret>[^\s"'\x1b]{4,})"#,
    ),
];

/// A compiled rule set.
#[derive(Debug)]
pub struct Redactor {
    rules: Vec<(String, Regex)>,
    /// All of them at once: most lines match none, and one pass tells.
    any: RegexSet,
}

/// A rule of config.kdl's that does not compile.
#[derive(Debug, thiserror::Error)]
#[error("secret rule `{name}`: {error}")]
pub struct RuleError {
    pub name: String,
    pub error: String,
}

impl Redactor {
    /// The built-in rules and `extra` (name, pattern) after them.
    pub fn new(extra: &[(String, String)]) -> Result<Redactor, RuleError> {
        let builtin = BUILTIN.iter().map(|(n, p)| (n.to_string(), p.to_string()));
        let rules = builtin
            .chain(extra.iter().cloned())
            .map(|(name, pattern)| match Regex::new(&pattern) {
                Ok(re) => Ok((name, re)),
                Err(e) => Err(RuleError { name, error: e.to_string() }),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let any = RegexSet::new(rules.iter().map(|(_, re)| re.as_str()))
            .map_err(|e| RuleError { name: "(all rules at once)".into(), error: e.to_string() })?;
        Ok(Redactor { rules, any })
    }

    /// Redacts the rows in `text[from..]` (each ended by `\n`; a row the
    /// terminal wrapped ends with `wrap` before it). A secret is looked for
    /// in each logical line, its wrapped rows joined, so a token that wraps
    /// is found; the rows stay as many, each keeping its own part of the
    /// text, and the mark stands in the row where the secret began.
    /// `in_key` carries whether the rows before were inside a private key
    /// block (its base64 lines match no pattern of their own).
    pub fn rows(&self, text: &mut String, from: usize, wrap: &str, in_key: &mut bool) {
        let region = &text[from..];
        if region.is_empty() {
            return;
        }
        let mut out = String::with_capacity(region.len());
        let mut changed = false;
        let mut group: Vec<&str> = Vec::new();
        for row in region.split_inclusive('\n') {
            let body = row.strip_suffix('\n').unwrap_or(row);
            group.push(body);
            if !body.ends_with(wrap) {
                changed |= self.logical_line(&group, wrap, in_key, &mut out);
                group.clear();
            }
        }
        if !group.is_empty() {
            changed |= self.logical_line(&group, wrap, in_key, &mut out);
        }
        if changed {
            text.truncate(from);
            text.push_str(&out);
        }
    }

    /// Writes the rows of one logical line, redacted, each followed by
    /// `\n`; true if anything was redacted.
    fn logical_line(&self, rows: &[&str], wrap: &str, in_key: &mut bool, out: &mut String) -> bool {
        let bodies: Vec<&str> = rows.iter().map(|r| r.strip_suffix(wrap).unwrap_or(r)).collect();
        let joined: String = bodies.concat();
        let redactions = self.find(&joined, in_key);
        if redactions.is_empty() {
            for row in rows {
                out.push_str(row);
                out.push('\n');
            }
            return false;
        }
        let mut at = 0;
        for (row, body) in rows.iter().zip(&bodies) {
            let end = at + body.len();
            let mut i = at;
            for (start, stop, name) in &redactions {
                if *stop <= i || *start >= end {
                    continue;
                }
                if *start >= i {
                    out.push_str(&joined[i..*start]);
                    out.push_str(&format!("[REDACTED:{name}]"));
                }
                i = (*stop).min(end);
            }
            out.push_str(&joined[i.max(at).min(end)..end]);
            if row.len() != body.len() {
                out.push_str(wrap);
            }
            out.push('\n');
            at = end;
        }
        true
    }

    /// The byte ranges of `line` to redact, in order, not overlapping,
    /// each with the rule that found it.
    fn find(&self, line: &str, in_key: &mut bool) -> Vec<(usize, usize, String)> {
        let begins = line.contains("-----BEGIN") && line.contains("PRIVATE KEY");
        let ends = line.contains("-----END") && line.contains("PRIVATE KEY");
        if begins && !ends {
            *in_key = true;
            return Vec::new();
        }
        if *in_key {
            if ends {
                *in_key = false;
                return Vec::new();
            }
            return vec![(0, line.len(), "private-key".into())];
        }
        let mut found: Vec<(usize, usize, String)> = Vec::new();
        let matched = self.any.matches(line);
        if !matched.matched_any() {
            return found;
        }
        for (name, re) in matched.iter().map(|i| &self.rules[i]) {
            for caps in re.captures_iter(line) {
                let m = caps.name("secret").or_else(|| caps.get(0)).expect("a match");
                if !m.is_empty() {
                    found.push((m.start(), m.end(), name.clone()));
                }
            }
        }
        found.sort_by_key(|(start, stop, _)| (*start, std::cmp::Reverse(*stop)));
        let mut merged: Vec<(usize, usize, String)> = Vec::new();
        for (start, stop, name) in found {
            match merged.last_mut() {
                Some(last) if start < last.1 => last.1 = last.1.max(stop),
                _ => merged.push((start, stop, name)),
            }
        }
        merged
    }

    /// One unwrapped line with its secrets replaced, or `None` if it holds
    /// none.
    pub fn line(&self, line: &str, in_key: &mut bool) -> Option<String> {
        let mut text = format!("{line}\n");
        // No row of a single line ends with a wrap mark: NUL never does.
        self.rows(&mut text, 0, "\0", in_key);
        text.pop();
        (text != line).then_some(text)
    }

    /// Whether a variable must stay off the disk: a rule matches it as an
    /// assignment or its value alone, or its name says it holds a secret
    /// (`MY_PASSWORD`, `GITHUB_TOKEN`: the assignment rule wants a word
    /// boundary a prefix does not give).
    pub fn flags_variable(&self, name: &str, value: &str) -> bool {
        let upper = name.to_ascii_uppercase();
        let named = SECRET_NAMES.iter().any(|word| upper.contains(word));
        named || self.any.is_match(&format!("{name}={value}")) || self.any.is_match(value)
    }
}

/// Words in a variable's name that say it holds a secret.
const SECRET_NAMES: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "ACCESS_KEY",
    "PRIVATE_KEY",
    "CREDENTIAL",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn redact(line: &str) -> String {
        Redactor::new(&[]).unwrap().line(line, &mut false).unwrap_or_else(|| line.to_string())
    }

    #[test]
    fn variables_holding_secrets_are_flagged_by_name_or_value() {
        let r = Redactor::new(&[]).unwrap();
        assert!(r.flags_variable("MY_PASSWORD", "hunter2"));
        assert!(r.flags_variable("GITHUB_TOKEN", "x"));
        assert!(r.flags_variable("HELPER", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"));
        assert!(r.flags_variable("DATABASE_URL", "postgres://me:s3cret@db/x"));
        assert!(!r.flags_variable("VIRTUAL_ENV", "/home/me/proj/.venv"));
        assert!(!r.flags_variable("CONDA_PREFIX", "/opt/conda/envs/ml"));
    }

    #[test]
    fn real_token_formats_are_redacted_and_ordinary_text_is_not() {
        // Made-up values in each provider's documented format.
        let cases = [
            ("export AWS_ACCESS_KEY_ID=AKIAZ7EXAMPLE4QW3ERT", "AKIAZ7EXAMPLE4QW3ERT"),
            (
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
            ),
            ("token ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8", "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"),
            ("GITLAB=glpat-Zx9Yw8Vu7Ts6Rq5Po4Nm", "glpat-Zx9Yw8Vu7Ts6Rq5Po4Nm"),
            ("slack: xoxb-1234567890-0987654321-AbCdEfGhIjKl", "xoxb-1234567890-0987654321-AbCdEfGhIjKl"),
            (
                "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            ),
            ("DB=postgres://app:s3cr3t-pw@db.local/app", "s3cr3t-pw"),
            ("mysql --password=hunter2hunter2", "hunter2hunter2"),
            ("API_KEY: \"abcd1234efgh5678\"", "abcd1234efgh5678"),
        ];
        for (line, secret) in cases {
            let out = redact(line);
            assert!(!out.contains(secret), "{line} -> {out}");
            assert!(out.contains("[REDACTED:"), "{out}");
        }
        assert_eq!(redact("mysql --password=hunter2hunter2"), "mysql --password=[REDACTED:assignment]");
        for plain in ["cargo test --workspace", "ls -la /tmp", "the token bucket is full", "password:"] {
            assert_eq!(redact(plain), plain);
        }
    }

    #[test]
    fn a_token_wrapped_across_rows_is_found_and_the_rows_stay_as_many() {
        let r = Redactor::new(&[]).unwrap();
        let wrap = "<w>";
        let mut text = "$ echo ghp_A1b2C3d4E5f6G7h8<w>\nI9j0K1l2M3n4O5p6Q7r8 done\n$ \n".to_string();
        r.rows(&mut text, 0, wrap, &mut false);
        assert_eq!(text, "$ echo [REDACTED:github-token]<w>\n done\n$ \n");
    }

    #[test]
    fn a_private_key_block_is_redacted_line_by_line() {
        let r = Redactor::new(&[]).unwrap();
        let mut in_key = false;
        let lines = [
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ",
            "-----END OPENSSH PRIVATE KEY-----",
            "$ ",
        ];
        let out: Vec<Option<String>> = lines.iter().map(|l| r.line(l, &mut in_key)).collect();
        assert_eq!(out, [None, Some("[REDACTED:private-key]".into()), None, None]);
    }

    #[test]
    fn rules_from_config_add_to_the_built_in_ones_and_a_bad_one_is_named() {
        let extra = vec![("acme".to_string(), r"ACME-[0-9]{6}".to_string())];
        let r = Redactor::new(&extra).unwrap();
        assert_eq!(r.line("key ACME-123456 here", &mut false).unwrap(), "key [REDACTED:acme] here");
        let e = Redactor::new(&[("broken".into(), "(".into())]).unwrap_err();
        assert!(e.to_string().starts_with("secret rule `broken`:"), "{e}");
    }
}
