//! The site's inbox socket: every change to a conversation and who is online, live.
//! After a reconnect the list is fetched again, as changes may have been missed.

use confab_protocol::console::{InboxClientFrame, InboxFrame};
use leptos::prelude::*;

use crate::browser;
use crate::inbox::Inbox;
use crate::notify;
use confab_live::LiveSocket;

/// Opens the socket for the current site, closing any other.
pub fn connect(inbox: Inbox) {
    close(inbox);
    let Some(site) = inbox.console.site.get_untracked() else {
        return;
    };
    let url = format!(
        "{}/api/console/sites/{site}/socket",
        browser::socket_origin()
    );
    let socket = LiveSocket::open(
        url,
        move |_| {
            inbox.live.set(true);
            send_presence(inbox);
            inbox.refresh();
        },
        move |text| on_frame(inbox, text),
        move |socket, code| {
            inbox.live.set(false);
            // Signed out or removed: the next request says so.
            if code == confab_protocol::frames::CLOSE_SIGNED_OUT {
                socket.close();
            }
        },
    );
    inbox.held.update_value(|h| h.socket = Some(socket));
}

pub fn close(inbox: Inbox) {
    if let Some(socket) = inbox.held.try_update_value(|h| h.socket.take()).flatten() {
        socket.close();
    }
    inbox.live.set(false);
}

pub fn send_presence(inbox: Inbox) {
    let frame = InboxClientFrame::Presence {
        away: inbox.away.get_untracked(),
    };
    let text = serde_json::to_string(&frame).expect("frames serialize");
    inbox.held.with_value(|h| {
        if let Some(socket) = &h.socket {
            socket.send(&text);
        }
    });
}

fn on_frame(inbox: Inbox, text: &str) {
    // `pong` is not JSON; frames this console does not know are skipped.
    let Ok(frame) = serde_json::from_str::<InboxFrame>(text) else {
        return;
    };
    match frame {
        InboxFrame::Conversation { conversation } => {
            let title = crate::logic::format::visitor_name(
                crate::texts::t().visitor,
                conversation.visitor_id.as_str(),
            );
            let body = conversation.preview.clone();
            let route = crate::logic::route::Route::Conversation {
                site: conversation.site.clone(),
                id: conversation.conversation_id.clone(),
            };
            if inbox.apply(*conversation) && browser::page_hidden() {
                notify::visitor_wrote(&title, &body, &route.href());
            }
        }
        InboxFrame::Presence { agents } => inbox.presence.set(agents),
        InboxFrame::Error { message, .. } => inbox.error.set(Some(message)),
    }
}
