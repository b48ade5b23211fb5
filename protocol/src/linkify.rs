//! Finds web links in message text so clients can make them clickable, safely: only
//! `http://` and `https://` become links, never `javascript:` or other schemes, and the
//! text around them stays text.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    Link(&'a str),
}

/// Splits `text` into plain text and links, in order.
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = find_link_start(rest) {
        let (before, tail) = split(rest, start);
        let mut end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .unwrap_or(tail.len());
        // Punctuation that ends a sentence is not part of the link.
        while end > 0
            && matches!(
                tail.as_bytes()[end - 1],
                b'.' | b',' | b';' | b':' | b'!' | b'?' | b')' | b'\''
            )
        {
            end -= 1;
        }
        let (link, after) = split(tail, end);
        if link.len() <= "https://".len() {
            // A bare scheme is text.
            let (text, after) = split(rest, start + end.max(1));
            out.push(Segment::Text(text));
            rest = after;
            continue;
        }
        if start > 0 {
            out.push(Segment::Text(before));
        }
        out.push(Segment::Link(link));
        rest = after;
    }
    if !rest.is_empty() {
        out.push(Segment::Text(rest));
    }
    out
}

/// Where the first `http://` or `https://` starts, in any case.
fn find_link_start(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let scheme_at = |i: usize, scheme: &[u8]| {
        bytes
            .get(i..i + scheme.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(scheme))
    };
    (0..bytes.len()).find(|&i| scheme_at(i, b"http://") || scheme_at(i, b"https://"))
}

/// `text` split at `at`, always a character boundary here. Not slicing: the panic that
/// slicing could raise formats characters, which costs the widget's download kilobytes.
fn split(text: &str, at: usize) -> (&str, &str) {
    text.split_at_checked(at).unwrap_or((text, ""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use Segment::*;

    #[test]
    fn links_are_found_and_trimmed() {
        assert_eq!(
            segments("See https://acme.example/boots?size=46. Thanks"),
            [
                Text("See "),
                Link("https://acme.example/boots?size=46"),
                Text(". Thanks")
            ]
        );
        assert_eq!(segments("http://a.example"), [Link("http://a.example")]);
        assert_eq!(segments("no links here"), [Text("no links here")]);
        assert_eq!(
            segments("Voilà : HTTPS://café.example/menu. Merci"),
            [
                Text("Voilà : "),
                Link("HTTPS://café.example/menu"),
                Text(". Merci")
            ]
        );
    }

    #[test]
    fn other_schemes_stay_text() {
        assert_eq!(
            segments("javascript:alert(1) data:text/html,x"),
            [Text("javascript:alert(1) data:text/html,x")]
        );
        assert_eq!(segments("https://"), [Text("https://")]);
        assert_eq!(
            segments(r#"<a href="https://x.example">"#),
            [
                Text(r#"<a href=""#),
                Link("https://x.example"),
                Text(r#"">"#)
            ]
        );
    }

    proptest! {
        #[test]
        fn segments_rebuild_the_text_and_links_are_http(text in ".{0,80}") {
            let parts = segments(&text);
            let rebuilt: String = parts.iter().map(|p| match p { Text(t) | Link(t) => *t }).collect();
            prop_assert_eq!(rebuilt, text.clone());
            for part in parts {
                if let Link(link) = part {
                    let lower = link.to_ascii_lowercase();
                    prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"));
                }
            }
        }
    }
}
