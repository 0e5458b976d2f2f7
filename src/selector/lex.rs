//! The lexer of the selector string grammar, byte for byte as apimachinery's `labels.Lexer`.
//!
//! Space, tab, CR and LF separate tokens; `= ! ( ) , > <` are special and the longest operator
//! wins (`!=` over `!`, `==` over `=`); every other run of bytes is an identifier, `in` and
//! `notin` being keywords. Upstream's `read` yields 0 both at the end of the input and on a NUL
//! byte (consuming the latter), so a NUL where a token would start ends the input and a NUL
//! right after a token is skipped; this lexer does the same.

/// A lexer token (upstream's `Token`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Token {
    /// A run of special bytes that forms no token (unreachable: every special byte alone is
    /// a token; kept so that the lexer is total without a panic).
    Error,
    EndOfString,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

/// One scanned token, its text and where it starts.
#[derive(Clone, Copy, Debug)]
pub(super) struct Item<'s> {
    /// What the token is.
    pub(super) token: Token,
    /// The token as written (empty at the end).
    pub(super) literal: &'s str,
    /// Byte offset of its first byte (the input's length at the end).
    pub(super) position: usize,
}

fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_special(b: u8) -> bool {
    matches!(b, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

/// The token a run of special bytes spells, if any.
fn special_token(run: &[u8]) -> Option<Token> {
    Some(match run {
        b")" => Token::ClosedPar,
        b"," => Token::Comma,
        b"!" => Token::DoesNotExist,
        b"==" => Token::DoubleEquals,
        b"=" => Token::Equals,
        b">" => Token::GreaterThan,
        b"<" => Token::LessThan,
        b"!=" => Token::NotEquals,
        b"(" => Token::OpenPar,
        _ => return None,
    })
}

/// Upstream's byte lexer: `read` yields 0 both at the end and on a NUL byte (consuming the
/// latter), which is where its NUL behaviour comes from.
pub(super) struct Lexer<'s> {
    s: &'s str,
    pos: usize,
}

impl<'s> Lexer<'s> {
    /// A lexer at the start of `s`.
    pub(super) fn new(s: &'s str) -> Self {
        Lexer { s, pos: 0 }
    }

    fn read(&mut self) -> u8 {
        match self.s.as_bytes().get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                b
            }
            None => 0,
        }
    }

    fn unread(&mut self) {
        self.pos = self.pos.saturating_sub(1);
    }

    /// Every boundary the lexer cuts at is an ASCII byte or an end, so slicing cannot fail;
    /// the fallback only keeps the code panic-free.
    fn slice(&self, start: usize, end: usize) -> &'s str {
        self.s.get(start..end).unwrap_or("")
    }

    /// The next token; `EndOfString` from the end on.
    pub(super) fn lex(&mut self) -> Item<'s> {
        let (start, ch) = loop {
            let at = self.pos;
            let ch = self.read();
            if !is_whitespace(ch) {
                break (at, ch);
            }
        };
        if ch == 0 {
            return Item {
                token: Token::EndOfString,
                literal: "",
                position: start,
            };
        }
        self.unread();
        if is_special(ch) {
            self.special_symbol(start)
        } else {
            self.identifier_or_keyword(start)
        }
    }

    fn identifier_or_keyword(&mut self, start: usize) -> Item<'s> {
        let end = loop {
            let at = self.pos;
            let ch = self.read();
            if ch == 0 {
                break at;
            }
            if is_special(ch) || is_whitespace(ch) {
                self.unread();
                break at;
            }
        };
        let literal = self.slice(start, end);
        let token = match literal {
            "in" => Token::In,
            "notin" => Token::NotIn,
            _ => Token::Identifier,
        };
        Item {
            token,
            literal,
            position: start,
        }
    }

    fn special_symbol(&mut self, start: usize) -> Item<'s> {
        let mut longest: Option<(Token, usize)> = None;
        let mut end = start;
        loop {
            let at = self.pos;
            let ch = self.read();
            if ch == 0 {
                break;
            }
            if !is_special(ch) {
                self.unread();
                break;
            }
            end = at + 1;
            let run = self.s.as_bytes().get(start..end).unwrap_or_default();
            if let Some(token) = special_token(run) {
                longest = Some((token, end));
            } else if longest.is_some() {
                self.unread();
                break;
            }
        }
        match longest {
            Some((token, end)) => Item {
                token,
                literal: self.slice(start, end),
                position: start,
            },
            None => Item {
                token: Token::Error,
                literal: self.slice(start, end),
                position: start,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(s: &str) -> Vec<(Token, String)> {
        let mut lexer = Lexer::new(s);
        let mut out = Vec::new();
        loop {
            let item = lexer.lex();
            out.push((item.token, item.literal.to_owned()));
            if item.token == Token::EndOfString {
                return out;
            }
        }
    }

    /// Upstream's TestLexer: the first token of each string, and its literal.
    #[test]
    fn lexer_single_tokens() {
        use Token::*;
        let cases = [
            ("", EndOfString),
            (",", Comma),
            ("notin", NotIn),
            ("in", In),
            ("=", Equals),
            ("==", DoubleEquals),
            (">", GreaterThan),
            ("<", LessThan),
            ("!", DoesNotExist),
            ("!=", NotEquals),
            ("(", OpenPar),
            (")", ClosedPar),
            ("~", Identifier),
            ("||", Identifier),
        ];
        for (s, want) in cases {
            let (tok, lit) = tokens(s).remove(0);
            assert_eq!((tok, lit.as_str()), (want, s), "{s:?}");
        }
    }

    /// Upstream's TestLexerSequence and TestParserLookahead.
    #[test]
    fn lexer_sequences() {
        use Token::*;
        let cases: [(&str, &[Token]); 11] = [
            (
                "key in ( value )",
                &[Identifier, In, OpenPar, Identifier, ClosedPar],
            ),
            (
                "key notin ( value )",
                &[Identifier, NotIn, OpenPar, Identifier, ClosedPar],
            ),
            (
                "key in ( value1, value2 )",
                &[
                    Identifier, In, OpenPar, Identifier, Comma, Identifier, ClosedPar,
                ],
            ),
            ("key", &[Identifier]),
            ("!key", &[DoesNotExist, Identifier]),
            ("()", &[OpenPar, ClosedPar]),
            ("", &[]),
            (
                "x in (),y",
                &[Identifier, In, OpenPar, ClosedPar, Comma, Identifier],
            ),
            (
                "== != (), = notin",
                &[
                    DoubleEquals,
                    NotEquals,
                    OpenPar,
                    ClosedPar,
                    Comma,
                    Equals,
                    NotIn,
                ],
            ),
            ("key>2", &[Identifier, GreaterThan, Identifier]),
            ("key<1", &[Identifier, LessThan, Identifier]),
        ];
        for (s, want) in cases {
            let got: Vec<Token> = tokens(s).into_iter().map(|(t, _)| t).collect();
            let mut want = want.to_vec();
            want.push(EndOfString);
            assert_eq!(got, want, "{s:?}");
        }
    }

    #[test]
    fn longest_operator_wins_and_runs_split() {
        use Token::*;
        let got: Vec<(Token, String)> = tokens("a!==!!<=");
        let want = [
            (Identifier, "a"),
            (NotEquals, "!="),
            (Equals, "="),
            (DoesNotExist, "!"),
            (DoesNotExist, "!"),
            (LessThan, "<"),
            (Equals, "="),
            (EndOfString, ""),
        ];
        let want: Vec<(Token, String)> = want.iter().map(|(t, s)| (*t, (*s).to_owned())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn nul_bytes_follow_upstream_read() {
        use Token::*;
        // A NUL where a token starts ends the input; one right after a token is skipped.
        assert_eq!(tokens("x \0y").len(), 2);
        let got: Vec<Token> = tokens("ab\0cd").into_iter().map(|(t, _)| t).collect();
        assert_eq!(got, [Identifier, Identifier, EndOfString]);
        let got: Vec<Token> = tokens("x=\0y").into_iter().map(|(t, _)| t).collect();
        assert_eq!(got, [Identifier, Equals, Identifier, EndOfString]);
    }
}
