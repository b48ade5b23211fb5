//! The widget's components: a launcher and a panel (header, then a thread's message list
//! and composer, or the visitor's threads and devices).

pub mod app;
mod composer;
mod home;
mod launcher;
mod message_list;
mod panel;
