//! Message text on screen: always text nodes, never markup; only http(s) links become
//! links, opened in a new tab without handing the console to the linked page.

use confab_protocol::linkify::{segments, Segment};
use leptos::either::Either;
use leptos::prelude::*;

pub fn body_view(body: &str) -> impl IntoView {
    segments(body)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(text) => Either::Left(text.to_owned()),
            Segment::Link(link) => Either::Right(view! {
                <a href=link.to_owned() target="_blank" rel="noopener noreferrer nofollow ugc">
                    {link.to_owned()}
                </a>
            }),
        })
        .collect_view()
}
