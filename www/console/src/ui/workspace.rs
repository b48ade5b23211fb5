//! The signed-in console: the sidebar, and the page the hash names.

use leptos::prelude::*;

use super::inbox_list::InboxList;
use super::lazy;
use super::sidebar::Sidebar;
use crate::inbox::Inbox;
use crate::live::inbox_socket;
use crate::logic::route::Route;
use crate::state::Console;
use crate::texts::t;

#[component]
pub fn Workspace() -> impl IntoView {
    let console = expect_context::<Console>();
    let inbox = Inbox::new(console);
    provide_context(inbox);
    // A link to another site's conversation switches the site.
    Effect::new(move |_| {
        if let Some((site, _)) = console.route.with(|r| r.conversation()) {
            if console.site.get_untracked().as_ref() != Some(&site) {
                console.site.set(Some(site));
            }
        }
    });
    // One inbox socket, for the site being worked; the list follows the site and view.
    Effect::new(move |_| {
        console.site.track();
        inbox_socket::connect(inbox);
    });
    Effect::new(move |_| {
        console.site.track();
        inbox.view.track();
        inbox.query.track();
        inbox.refresh();
    });
    on_cleanup(move || inbox_socket::close(inbox));
    // Once the inbox has had the network first.
    let _ = crate::browser::after(2_000, lazy::prefetch);

    let open = Memo::new(move |_| console.route.with(|r| r.conversation()));
    let page = Memo::new(move |_| match console.route.get() {
        Route::Team => "team",
        Route::Canned => "canned",
        Route::Reports => "reports",
        _ => "inbox",
    });
    // On a phone the sidebar is folded away behind "Menu", and folds again once the agent
    // picks a view or a page in it.
    let menu_open = RwSignal::new(false);
    let fold_on_choice = move |ev: leptos::ev::MouseEvent| {
        let chose = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|t| t.closest("a, [data-view]").ok().flatten())
            .is_some();
        if chose {
            menu_open.set(false);
        }
    };
    view! {
        <div class="workspace" class:menu-open=move || menu_open.get()>
            <button
                class="menu-toggle"
                type="button"
                aria-controls="sidebar"
                aria-expanded=move || menu_open.get().to_string()
                on:click=move |_| menu_open.update(|o| *o = !*o)
            >
                {t().menu}
            </button>
            <div class="sidebar-fold" on:click=fold_on_choice>
                <Sidebar />
            </div>
            {move || match page.get() {
                "team" => lazy::team().into_any(),
                "canned" => lazy::canned().into_any(),
                "reports" => lazy::reports().into_any(),
                _ => view! {
                    <div class="inbox-page" class:has-open=move || open.with(|o| o.is_some())>
                        <InboxList />
                        {move || match open.get() {
                            Some((site, id)) => lazy::conversation(site, id).into_any(),
                            None => view! {
                                <section class="conversation empty">
                                    <p>{t().pick_conversation}</p>
                                </section>
                            }
                            .into_any(),
                        }}
                    </div>
                }
                .into_any(),
            }}
        </div>
    }
}
