//! The string grammar of label selectors (`kubectl get -l`): parsing and canonical printing.
//!
//! PLACEHOLDER: the full grammar, error positions and upstream's tables land with the selector
//! work (issue 3). This minimal version accepts comma-separated `key=value` terms only.

use std::fmt;

use crate::meta::Labels;
use crate::selector::Operator;

/// One parsed requirement: `key <operator> values`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    /// The label key.
    pub key: String,
    /// The operator.
    pub operator: Operator,
    /// The values (sorted and de-duplicated for `in`/`notin`).
    pub values: Vec<String>,
}

/// An owned selector: the AND of its requirements, sorted by key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Requirements(pub Vec<Requirement>);

impl Requirements {
    /// True when every requirement matches.
    #[must_use]
    pub fn matches(&self, labels: &Labels) -> bool {
        self.0
            .iter()
            .all(|r| r.operator.matches(labels, &r.key, &r.values))
    }
}

impl fmt::Display for Requirements {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{}{}{}", r.key, r.operator, r.values.join(","))?;
        }
        Ok(())
    }
}

/// What went wrong while parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// Anything.
    Syntax,
}

/// A parse failure at a byte position.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unable to parse requirement at {position}")]
pub struct ParseError {
    /// Byte offset.
    pub position: usize,
    /// What went wrong.
    pub kind: ParseErrorKind,
}

/// Parses the string form.
pub fn parse(s: &str) -> Result<Requirements, ParseError> {
    let mut out = Vec::new();
    for term in s.split(',').filter(|t| !t.trim().is_empty()) {
        let (k, v) = term.split_once('=').ok_or(ParseError {
            position: 0,
            kind: ParseErrorKind::Syntax,
        })?;
        out.push(Requirement {
            key: k.trim().to_owned(),
            operator: Operator::Equals,
            values: vec![v.trim().to_owned()],
        });
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(Requirements(out))
}
