//! The string grammar of label selectors (`kubectl get -l`), lexed and parsed exactly as
//! apimachinery's `labels.Parse` does.
//!
//! ```text
//! selector    := "" | requirement ( "," requirement )*
//! requirement := "!" KEY                          does not exist
//!              | KEY                              exists
//!              | KEY ( "=" | "==" | "!=" ) VALUE? an absent value is ""
//!              | KEY ( "in" | "notin" ) "(" list ")"
//!              | KEY ( ">" | "<" ) INTEGER
//! ```
//!
//! Tokens come from the byte lexer in `lex` (whitespace is space, tab, CR and LF; the longest
//! operator wins; a NUL byte where a token would start ends the input, as upstream reads it).
//! The identifiers `in` and `notin` are operators only between a key and its values: anywhere
//! a key or a value is expected they are plain identifiers.

use std::fmt;

use crate::selector::lex::{Item, Lexer, Token};
use crate::selector::requirements::Requirement;
use crate::selector::{Operator, Requirements, aggregate, requirement_errors};
use crate::validation::field::{FieldError, go_quote};
use crate::validation::names;

/// What went wrong while parsing a selector string. Each variant's `Display` is upstream's
/// message; those raised inside a requirement carry upstream's
/// `unable to parse requirement: ` prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// A requirement cannot start with this token:
    /// `found '<found>', expected: !, identifier, or 'end of string'`.
    ExpectedRequirement {
        /// The offending token as written.
        found: String,
    },
    /// A complete requirement is followed by something other than `,` or the end:
    /// `found '<found>', expected: ',' or 'end of string'`.
    ExpectedCommaOrEnd {
        /// The offending token as written.
        found: String,
    },
    /// A `,` is not followed by a requirement:
    /// `found '<found>', expected: identifier after ','`.
    ExpectedIdentifierAfterComma {
        /// The offending token as written (empty at the end of the input).
        found: String,
    },
    /// No key where one is needed (after `!`):
    /// `unable to parse requirement: found '<found>', expected: identifier`.
    ExpectedKey {
        /// The offending token as written.
        found: String,
    },
    /// The key is not a qualified name:
    /// `unable to parse requirement: <nil>: Invalid value: "<key>": <messages>` (upstream
    /// validates it against a nil field path, hence `<nil>`).
    InvalidKey {
        /// The key as written.
        key: String,
        /// `IsQualifiedName`'s messages, joined with `; ` when printed.
        messages: Vec<String>,
    },
    /// A key is followed by something that is not an operator:
    /// `unable to parse requirement: found '<found>', expected: in, notin, =, ==, !=, gt, lt`.
    ExpectedOperator {
        /// The offending token as written.
        found: String,
    },
    /// `in`/`notin` not followed by `(`:
    /// `unable to parse requirement: found '<found>' expected: '('` (sic, no comma).
    ExpectedOpenParen {
        /// The offending token as written.
        found: String,
    },
    /// `(` not followed by a value, `,` or `)`:
    /// `unable to parse requirement: found '<found>', expected: ',', ')' or identifier`.
    ExpectedValueList {
        /// The offending token as written.
        found: String,
    },
    /// A value in a list not followed by `,` or `)`:
    /// `unable to parse requirement: found '<found>', expected: ',' or ')'`.
    ExpectedCommaOrCloseParen {
        /// The offending token as written.
        found: String,
    },
    /// A `,` (or `,,`) in a list followed by something other than a value or `,`:
    /// `unable to parse requirement: found '<found>', expected: ',', or identifier`.
    /// Upstream's list parser reaches this for `(a,,)`, which is therefore an error.
    ExpectedValueOrComma {
        /// The offending token as written.
        found: String,
    },
    /// `=`, `==`, `!=`, `>` or `<` followed by something other than a value, `,` or the end:
    /// `unable to parse requirement: found '<found>', expected: identifier`.
    ExpectedValue {
        /// The offending token as written.
        found: String,
    },
    /// The requirement fails upstream's `NewRequirement` checks (see
    /// [`requirement_errors`](crate::selector::requirement_errors)), for example a value that
    /// is not a label value or a non-integer after `>`:
    /// `unable to parse requirement: <errors, aggregated>`.
    InvalidRequirement {
        /// The requirement's key.
        key: String,
        /// Every problem found, paths relative to the requirement (`values[0][x]`).
        errors: Vec<FieldError>,
    },
}

impl ParseErrorKind {
    /// True for the errors upstream raises while parsing one requirement, which it prefixes
    /// with `unable to parse requirement: `.
    #[must_use]
    pub fn is_in_requirement(&self) -> bool {
        !matches!(
            self,
            ParseErrorKind::ExpectedRequirement { .. }
                | ParseErrorKind::ExpectedCommaOrEnd { .. }
                | ParseErrorKind::ExpectedIdentifierAfterComma { .. }
        )
    }
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_in_requirement() {
            f.write_str("unable to parse requirement: ")?;
        }
        match self {
            ParseErrorKind::ExpectedRequirement { found } => write!(
                f,
                "found '{found}', expected: !, identifier, or 'end of string'"
            ),
            ParseErrorKind::ExpectedCommaOrEnd { found } => {
                write!(f, "found '{found}', expected: ',' or 'end of string'")
            }
            ParseErrorKind::ExpectedIdentifierAfterComma { found } => {
                write!(f, "found '{found}', expected: identifier after ','")
            }
            ParseErrorKind::ExpectedKey { found } | ParseErrorKind::ExpectedValue { found } => {
                write!(f, "found '{found}', expected: identifier")
            }
            ParseErrorKind::InvalidKey { key, messages } => write!(
                f,
                "<nil>: Invalid value: {}: {}",
                go_quote(key),
                messages.join("; ")
            ),
            ParseErrorKind::ExpectedOperator { found } => {
                write!(f, "found '{found}', expected: in, notin, =, ==, !=, gt, lt")
            }
            ParseErrorKind::ExpectedOpenParen { found } => {
                write!(f, "found '{found}' expected: '('")
            }
            ParseErrorKind::ExpectedValueList { found } => {
                write!(f, "found '{found}', expected: ',', ')' or identifier")
            }
            ParseErrorKind::ExpectedCommaOrCloseParen { found } => {
                write!(f, "found '{found}', expected: ',' or ')'")
            }
            ParseErrorKind::ExpectedValueOrComma { found } => {
                write!(f, "found '{found}', expected: ',', or identifier")
            }
            ParseErrorKind::InvalidRequirement { errors, .. } => f.write_str(&aggregate(errors)),
        }
    }
}

/// A selector string that does not parse: what went wrong and the byte offset it points at.
///
/// `Display` prints upstream's message (without the position). The position is the start of
/// the offending token; for [`ParseErrorKind::InvalidRequirement`] it is the start of the
/// requirement (its `!` or key), and at the end of the input it is the input's length.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
#[non_exhaustive]
pub struct ParseError {
    /// Byte offset into the parsed string.
    pub position: usize,
    /// What went wrong.
    pub kind: ParseErrorKind,
}

impl ParseError {
    fn new(position: usize, kind: ParseErrorKind) -> Self {
        ParseError { position, kind }
    }
}

/// Parses the string form of a selector, as `labels.Parse` does.
///
/// Requirements come out sorted by key (requirements sharing a key keep their written order);
/// the values of `in`/`notin` are de-duplicated and sorted, and keys and values are validated
/// as label keys and values. The empty string (or one of only whitespace) is the selector that
/// matches everything.
///
/// # Operators
///
/// Each operator, with a label set it matches and one it does not:
///
/// ```
/// use kube_workloads::Labels;
/// use kube_workloads::selector::parse;
///
/// fn labels(pairs: &[(&str, &str)]) -> Labels {
///     pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
/// }
/// let web = labels(&[("app", "web"), ("tier", "front"), ("replicas", "3")]);
/// let db = labels(&[("app", "db"), ("canary", "")]);
///
/// // `=` and `==`: the key is present with that value.
/// assert!(parse("app=web")?.matches(&web) && !parse("app==web")?.matches(&db));
/// // `!=`: the key is absent, or present with another value.
/// assert!(parse("tier!=back")?.matches(&web) && parse("tier!=back")?.matches(&db));
/// assert!(!parse("app!=db")?.matches(&db));
/// // `in`: present with one of the values.
/// assert!(parse("app in (web,api)")?.matches(&web) && !parse("app in (web,api)")?.matches(&db));
/// // `notin`: absent, or present with none of the values.
/// assert!(parse("tier notin (back)")?.matches(&db) && !parse("app notin (db)")?.matches(&db));
/// // A bare key: present, with any value (the empty one too).
/// assert!(parse("canary")?.matches(&db) && !parse("canary")?.matches(&web));
/// // `!key`: absent.
/// assert!(parse("!canary")?.matches(&web) && !parse("!canary")?.matches(&db));
/// // `>` and `<`: present, and both sides parse as 64-bit integers that compare strictly.
/// assert!(parse("replicas>2")?.matches(&web) && !parse("replicas<3")?.matches(&web));
/// assert!(!parse("replicas>2")?.matches(&db));
/// // Commas AND requirements together; the empty selector matches everything.
/// assert!(parse("app=web,tier in (front),!canary")?.matches(&web));
/// assert!(parse("")?.matches(&db));
/// # Ok::<(), kube_workloads::selector::ParseError>(())
/// ```
///
/// # Errors
///
/// A [`ParseError`] whose `Display` is upstream's message, for example
/// `found '=', expected: ',' or 'end of string'` for `!x=a`, or
/// `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the
/// value must be an integer` for `x<a`.
pub fn parse(selector: &str) -> Result<Requirements, ParseError> {
    let mut parser = Parser::new(selector);
    let mut requirements = Vec::new();
    loop {
        let next = parser.lookahead(Context::Values);
        match next.token {
            Token::Identifier | Token::DoesNotExist => {
                requirements.push(parser.requirement()?);
                let after = parser.consume(Context::Values);
                match after.token {
                    Token::EndOfString => break,
                    Token::Comma => {
                        let following = parser.lookahead(Context::Values);
                        if !matches!(following.token, Token::Identifier | Token::DoesNotExist) {
                            return Err(ParseError::new(
                                following.position,
                                ParseErrorKind::ExpectedIdentifierAfterComma {
                                    found: following.literal.to_owned(),
                                },
                            ));
                        }
                    }
                    _ => {
                        return Err(ParseError::new(
                            after.position,
                            ParseErrorKind::ExpectedCommaOrEnd {
                                found: after.literal.to_owned(),
                            },
                        ));
                    }
                }
            }
            Token::EndOfString => break,
            _ => {
                return Err(ParseError::new(
                    next.position,
                    ParseErrorKind::ExpectedRequirement {
                        found: next.literal.to_owned(),
                    },
                ));
            }
        }
    }
    Ok(Requirements::new(requirements))
}

/// Where the parser is: `in`/`notin` are operators only between a key and its values.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    KeyAndOperator,
    Values,
}

struct Parser<'s> {
    items: Vec<Item<'s>>,
    next: usize,
    end: usize,
}

impl<'s> Parser<'s> {
    fn new(s: &'s str) -> Self {
        let mut lexer = Lexer::new(s);
        let mut items = Vec::new();
        loop {
            let item = lexer.lex();
            items.push(item);
            if item.token == Token::EndOfString {
                break;
            }
        }
        Parser {
            items,
            next: 0,
            end: s.len(),
        }
    }

    fn item(&self, index: usize, context: Context) -> Item<'s> {
        let mut item = self.items.get(index).copied().unwrap_or(Item {
            token: Token::EndOfString,
            literal: "",
            position: self.end,
        });
        if context == Context::Values && matches!(item.token, Token::In | Token::NotIn) {
            item.token = Token::Identifier;
        }
        item
    }

    fn lookahead(&self, context: Context) -> Item<'s> {
        self.item(self.next, context)
    }

    fn consume(&mut self, context: Context) -> Item<'s> {
        let item = self.item(self.next, context);
        self.next += 1;
        item
    }

    fn requirement(&mut self) -> Result<Requirement, ParseError> {
        let start = self.lookahead(Context::Values).position;
        let (key, inferred) = self.key_and_inferred_operator()?;
        let (operator, values) = match inferred {
            Some(op) => (op, Vec::new()),
            None => {
                let op = self.operator()?;
                let values = if matches!(op, Operator::In | Operator::NotIn) {
                    self.value_list()?
                } else {
                    self.exact_value()?
                };
                (op, values)
            }
        };
        let mut values: Vec<String> = values.into_iter().map(str::to_owned).collect();
        values.sort_unstable();
        values.dedup();
        let errors = requirement_errors(key, operator, &values);
        if !errors.is_empty() {
            return Err(ParseError::new(
                start,
                ParseErrorKind::InvalidRequirement {
                    key: key.to_owned(),
                    errors,
                },
            ));
        }
        Ok(Requirement::from_valid_parts(
            key.to_owned(),
            operator,
            values,
        ))
    }

    /// The key, and the operator when it is unary (`!key`, or a key followed by `,` or the
    /// end).
    fn key_and_inferred_operator(&mut self) -> Result<(&'s str, Option<Operator>), ParseError> {
        let mut operator = None;
        let mut item = self.consume(Context::Values);
        if item.token == Token::DoesNotExist {
            operator = Some(Operator::DoesNotExist);
            item = self.consume(Context::Values);
        }
        if item.token != Token::Identifier {
            return Err(ParseError::new(
                item.position,
                ParseErrorKind::ExpectedKey {
                    found: item.literal.to_owned(),
                },
            ));
        }
        let key = item.literal;
        if !names::qualified_name_ok(key) {
            return Err(ParseError::new(
                item.position,
                ParseErrorKind::InvalidKey {
                    key: key.to_owned(),
                    messages: names::is_qualified_name(key),
                },
            ));
        }
        if operator.is_none()
            && matches!(
                self.lookahead(Context::Values).token,
                Token::EndOfString | Token::Comma
            )
        {
            operator = Some(Operator::Exists);
        }
        Ok((key, operator))
    }

    fn operator(&mut self) -> Result<Operator, ParseError> {
        let item = self.consume(Context::KeyAndOperator);
        Ok(match item.token {
            Token::In => Operator::In,
            Token::Equals => Operator::Equals,
            Token::DoubleEquals => Operator::DoubleEquals,
            Token::GreaterThan => Operator::GreaterThan,
            Token::LessThan => Operator::LessThan,
            Token::NotIn => Operator::NotIn,
            Token::NotEquals => Operator::NotEquals,
            _ => {
                return Err(ParseError::new(
                    item.position,
                    ParseErrorKind::ExpectedOperator {
                        found: item.literal.to_owned(),
                    },
                ));
            }
        })
    }

    /// `( ... )` after `in`/`notin`; `()` is the one empty value.
    fn value_list(&mut self) -> Result<Vec<&'s str>, ParseError> {
        let open = self.consume(Context::Values);
        if open.token != Token::OpenPar {
            return Err(ParseError::new(
                open.position,
                ParseErrorKind::ExpectedOpenParen {
                    found: open.literal.to_owned(),
                },
            ));
        }
        let first = self.lookahead(Context::Values);
        match first.token {
            Token::Identifier | Token::Comma => self.identifiers(),
            Token::ClosedPar => {
                self.consume(Context::Values);
                Ok(vec![""])
            }
            _ => Err(ParseError::new(
                first.position,
                ParseErrorKind::ExpectedValueList {
                    found: first.literal.to_owned(),
                },
            )),
        }
    }

    /// A comma-separated list of possibly empty values, through the closing `)`, with
    /// upstream's handling of empty entries (`(,a)`, `(a,)`, `(a,,b)` hold `""`; after `,,`
    /// a value or another `,` must follow).
    fn identifiers(&mut self) -> Result<Vec<&'s str>, ParseError> {
        let mut values = Vec::new();
        loop {
            let item = self.consume(Context::Values);
            match item.token {
                Token::Identifier => {
                    values.push(item.literal);
                    let next = self.lookahead(Context::Values);
                    match next.token {
                        Token::Comma => {}
                        Token::ClosedPar => {
                            self.consume(Context::Values);
                            return Ok(values);
                        }
                        _ => {
                            return Err(ParseError::new(
                                next.position,
                                ParseErrorKind::ExpectedCommaOrCloseParen {
                                    found: next.literal.to_owned(),
                                },
                            ));
                        }
                    }
                }
                Token::Comma => {
                    if values.is_empty() {
                        values.push("");
                    }
                    match self.lookahead(Context::Values).token {
                        Token::ClosedPar => {
                            values.push("");
                            self.consume(Context::Values);
                            return Ok(values);
                        }
                        Token::Comma => {
                            self.consume(Context::Values);
                            values.push("");
                        }
                        _ => {}
                    }
                }
                _ => {
                    return Err(ParseError::new(
                        item.position,
                        ParseErrorKind::ExpectedValueOrComma {
                            found: item.literal.to_owned(),
                        },
                    ));
                }
            }
        }
    }

    /// The one value after `=`, `==`, `!=`, `>` or `<`; none before `,` or the end is `""`.
    fn exact_value(&mut self) -> Result<Vec<&'s str>, ParseError> {
        if matches!(
            self.lookahead(Context::Values).token,
            Token::EndOfString | Token::Comma
        ) {
            return Ok(vec![""]);
        }
        let item = self.consume(Context::Values);
        if item.token == Token::Identifier {
            Ok(vec![item.literal])
        } else {
            Err(ParseError::new(
                item.position,
                ParseErrorKind::ExpectedValue {
                    found: item.literal.to_owned(),
                },
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Upstream's TestParseOperator.
    #[test]
    fn operator_tokens() {
        for ok in ["in", "=", "==", ">", "<", "notin", "!="] {
            let mut p = Parser::new(ok);
            assert!(p.operator().is_ok(), "{ok}");
        }
        for (bad, found) in [("!", "!"), ("exists", "exists"), ("(", "(")] {
            let mut p = Parser::new(bad);
            let e = p.operator().unwrap_err();
            assert_eq!(
                e.kind,
                ParseErrorKind::ExpectedOperator {
                    found: found.to_owned()
                }
            );
        }
    }
}
