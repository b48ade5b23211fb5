//! The console's two live connections, the site's inbox and the open conversation, each
//! a `confab_live::LiveSocket`.

pub mod conversation;
pub mod conversation_socket;
pub mod inbox_socket;
