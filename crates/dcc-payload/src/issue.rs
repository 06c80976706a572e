//! Validation findings.

use serde::{Deserialize, Serialize};

use crate::IssueCode;

/// One problem found in a payload: where, a stable code, and what to fix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Issue {
    /// Slash-separated JSON path of the field (`v/0/dn`); empty for the whole payload.
    pub path: String,
    /// Stable snake_case code, the same in every language binding.
    pub code: IssueCode,
    /// Human-readable explanation for the person at the counter.
    pub message: String,
}

impl Issue {
    /// A new issue.
    pub fn new(path: impl Into<String>, code: IssueCode, message: impl Into<String>) -> Self {
        Issue {
            path: path.into(),
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "[{}] {}", self.code, self.message)
        } else {
            write!(f, "{}: [{}] {}", self.path, self.code, self.message)
        }
    }
}

impl crate::Dcc {
    /// Structural problems: exactly one of `v`, `t`, `r`, holding exactly one entry.
    pub fn structure_issues(&self) -> Vec<Issue> {
        use crate::PayloadError as E;
        match self.entry() {
            Ok(_) => vec![],
            Err(E::NoGroup) => {
                vec![Issue::new(
                    "",
                    IssueCode::MissingGroup,
                    "exactly one of v, t or r is required",
                )]
            }
            Err(E::MultipleGroups(g)) => vec![Issue::new(
                "",
                IssueCode::MultipleGroups,
                format!("only one of v, t or r is allowed, found {g}"),
            )],
            Err(E::EntryCount { group, len }) => vec![Issue::new(
                group,
                IssueCode::EntryCount,
                format!("{group} must hold exactly one entry, found {len}"),
            )],
            Err(e) => vec![Issue::new("", IssueCode::InvalidStructure, e.to_string())],
        }
    }
}
