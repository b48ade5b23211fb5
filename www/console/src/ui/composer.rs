//! Writing to the visitor, or a note for the team. Enter sends, Shift+Enter starts a new
//! line; `/word` offers the canned replies whose shortcut starts with it.

use confab_protocol::console::{canned_matches, CannedReply};
use confab_protocol::limits::MAX_MESSAGE_CHARS;
use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html::Textarea;
use leptos::prelude::*;

use super::files::{AttachFiles, Attached};
use crate::live::conversation::Conversation;
use crate::texts::t;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Reply,
    Note,
}

#[component]
pub fn Composer(conversation: Conversation) -> impl IntoView {
    let console = conversation.console;
    // Fetched here, not with the inbox: its code is in the conversation's chunk.
    console.want_canned();
    let mode = RwSignal::new(Mode::Reply);
    let text = RwSignal::new(String::new());
    // The highlighted canned reply, by position in the matches.
    let picked = RwSignal::new(0usize);
    let area = NodeRef::<Textarea>::new();
    let attached = Attached::new();
    let matches = Memo::new(move |_| {
        text.with(|t| {
            console.canned.with(|replies| {
                canned_matches(t, replies)
                    .into_iter()
                    .cloned()
                    .collect::<Vec<CannedReply>>()
            })
        })
    });
    let focus = move || {
        if let Some(area) = area.get_untracked() {
            let _ = area.focus();
        }
    };
    let insert = move |reply: CannedReply| {
        text.set(reply.body);
        picked.set(0);
        focus();
    };
    let submit = move || {
        let body = text.get_untracked();
        let reply = mode.get_untracked() == Mode::Reply;
        // A reply goes once its files are uploaded; a note carries none.
        if reply && attached.busy() {
            return;
        }
        let files = if reply { attached.take() } else { Vec::new() };
        if body.trim().is_empty() && files.is_empty() {
            return;
        }
        match reply {
            true => conversation.send_reply(body, files),
            false => conversation.send_note(body),
        }
        text.set(String::new());
        focus();
    };
    let on_key = move |ev: KeyboardEvent| {
        if ev.is_composing() {
            return;
        }
        let offered = matches.with_untracked(|m| m.len());
        if offered > 0 {
            match ev.key().as_str() {
                "ArrowDown" => {
                    ev.prevent_default();
                    picked.update(|p| *p = (*p + 1) % offered);
                    return;
                }
                "ArrowUp" => {
                    ev.prevent_default();
                    picked.update(|p| *p = (*p + offered - 1) % offered);
                    return;
                }
                "Enter" | "Tab" if !ev.shift_key() => {
                    ev.prevent_default();
                    let choice = matches.with_untracked(|m| m.get(picked.get_untracked()).cloned());
                    if let Some(reply) = choice {
                        insert(reply);
                    }
                    return;
                }
                _ => {}
            }
        }
        if ev.key() == "Enter" && !ev.shift_key() {
            ev.prevent_default();
            submit();
        }
    };
    let mode_button = move |id: &'static str, this: Mode, label: &'static str| {
        view! {
            <button
                id=id
                type="button"
                class="mode"
                class:current=move || mode.get() == this
                aria-pressed=move || (mode.get() == this).to_string()
                on:click=move |_| {
                    mode.set(this);
                    focus();
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <form
            class="composer"
            class:note-mode=move || mode.get() == Mode::Note
            on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                submit();
            }
        >
            <div class="modes" role="group" aria-label=t().write_a>
                {mode_button("mode-reply", Mode::Reply, t().mode_reply)}
                {mode_button("mode-note", Mode::Note, t().mode_note)}
            </div>
            {move || {
                let offered = matches.get();
                (!offered.is_empty()).then(|| view! {
                    <ul class="canned-options" id="canned-options" role="listbox" aria-label=t().canned_replies>
                        {offered.into_iter().enumerate().map(|(i, reply)| {
                            let chosen = reply.clone();
                            view! {
                                <li
                                    class="canned-option"
                                    role="option"
                                    class:current=move || picked.get() == i
                                    aria-selected=move || (picked.get() == i).to_string()
                                    // Before the textarea loses focus to the click.
                                    on:mousedown=move |ev| ev.prevent_default()
                                    on:click=move |_| insert(chosen.clone())
                                >
                                    <strong>{format!("/{}", reply.shortcut)}</strong>
                                    " "
                                    <span>{reply.body}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
            <label for="composer" class="visually-hidden">
                {move || if mode.get() == Mode::Note { t().internal_note } else { t().reply_to_visitor }}
            </label>
            <textarea
                id="composer"
                node_ref=area
                rows="3"
                maxlength=MAX_MESSAGE_CHARS.to_string()
                placeholder=move || match mode.get() {
                    Mode::Reply => t().reply_placeholder,
                    Mode::Note => t().note_placeholder,
                }
                aria-autocomplete="list"
                aria-controls=move || (!matches.with(Vec::is_empty)).then_some("canned-options")
                prop:value=move || text.get()
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    picked.set(0);
                    if mode.get_untracked() == Mode::Reply {
                        conversation.typing();
                    }
                }
                on:keydown=on_key
            ></textarea>
            <AttachFiles attached />
            <button id="send" type="submit" class="primary">
                {move || if mode.get() == Mode::Note { t().add_note } else { t().send }}
            </button>
        </form>
    }
}
