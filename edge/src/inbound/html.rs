//! The text of an HTML-only answer, with the lines its blocks make: what the visitor
//! wrote stays apart from the quoted history under it, which `reply_text` then cuts.
//! (`mail-parser`'s own conversion runs blocks together on one line.) Quotes
//! (`<blockquote>`) become `> ` lines and rules (`<hr>`) a line of underscores, as a
//! mail program writes them in plain text.

/// Elements whose start and end begin a new line.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "dd",
    "div",
    "dl",
    "dt",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "ul",
];

/// Elements whose content is not text.
const HIDDEN: &[&str] = &["head", "script", "style", "template", "title"];

#[derive(Default)]
struct Text {
    out: String,
    quotes: usize,
    /// A space is owed before the next word on this line.
    space: bool,
}

impl Text {
    fn at_line_start(&self) -> bool {
        self.out.is_empty() || self.out.ends_with('\n')
    }

    fn new_line(&mut self) {
        self.out.push('\n');
        self.space = false;
    }

    fn end_line(&mut self) {
        if !self.at_line_start() {
            self.new_line();
        }
    }

    fn word(&mut self, word: &str) {
        if self.at_line_start() {
            for _ in 0..self.quotes {
                self.out.push('>');
            }
            if self.quotes > 0 {
                self.out.push(' ');
            }
        } else if self.space {
            self.out.push(' ');
        }
        self.space = false;
        self.out.push_str(word);
    }
}

pub fn to_text(html: &str) -> String {
    let mut text = Text::default();
    let mut hidden = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.split_once("-->").map_or("", |(_, after)| after);
            continue;
        }
        if let Some(tag) = rest.strip_prefix('<') {
            let (inside, after) = tag.split_once('>').unwrap_or((tag, ""));
            rest = after;
            let closing = inside.starts_with('/');
            let name: String = inside
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_lowercase())
                .collect();
            let name = name.as_str();
            if HIDDEN.contains(&name) {
                hidden = if closing {
                    hidden.saturating_sub(1)
                } else {
                    hidden + 1
                };
            } else if name == "br" {
                text.new_line();
            } else if name == "hr" {
                text.end_line();
                text.word("________________");
                text.new_line();
            } else if BLOCKS.contains(&name) {
                text.end_line();
                if name == "blockquote" {
                    text.quotes = if closing {
                        text.quotes.saturating_sub(1)
                    } else {
                        text.quotes + 1
                    };
                }
            }
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        let (chunk, after) = rest.split_at(end);
        rest = after;
        if hidden > 0 {
            continue;
        }
        let decoded = entities(chunk);
        if decoded.starts_with(char::is_whitespace) {
            text.space = true;
        }
        let mut words = decoded.split_whitespace().peekable();
        while let Some(word) = words.next() {
            text.word(word);
            text.space = words.peek().is_some();
        }
        if decoded.ends_with(char::is_whitespace) {
            text.space = true;
        }
    }
    text.out
}

/// `&amp;`, `&#8217;`, `&nbsp;`… as characters (the table is `mail-parser`'s); a
/// non-breaking space is a space here.
fn entities(chunk: &str) -> String {
    let mut out = String::with_capacity(chunk.len());
    let mut rest = chunk;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|n| n + 1);
        match end {
            Some(end) if rest[end..].starts_with(';') && end > 1 => {
                mail_parser::decoders::html::add_html_token(
                    &mut out,
                    &rest.as_bytes()[..=end],
                    false,
                );
                rest = &rest[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.replace('\u{a0}', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_make_lines_and_quotes_are_marked() {
        let html = "<html><head><style>p{color:red}</style></head><body>\
            <div>Merci,&nbsp;&ccedil;a <b>marche</b>, l&#8217;eau</div><div><br></div><div>Ann</div>\
            <hr><div>From: Acme &lt;team@acme.example&gt;</div>\
            <blockquote><p>Line one</p><p>Line two</p></blockquote><!-- <p>hidden</p> --></body></html>";
        assert_eq!(
            to_text(html),
            "Merci, ça marche, l\u{2019}eau\n\nAnn\n________________\nFrom: Acme <team@acme.example>\n\
             > Line one\n> Line two\n"
        );
    }

    #[test]
    fn stray_ampersands_and_unclosed_tags_are_text_or_dropped() {
        assert_eq!(to_text("Tom & Jerry &amp co"), "Tom & Jerry &amp co");
        assert_eq!(to_text("cut <b"), "cut");
    }
}
