//! The widget's components: a launcher and a panel (header, message list, composer).

pub mod app;
mod composer;
mod launcher;
mod message_list;
mod panel;
