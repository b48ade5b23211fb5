//! The console's pages and their parts.

mod actions;
pub mod app;
mod canned;
mod composer;
mod context;
mod conversation;
mod files;
mod hours;
mod inbox_list;
mod lazy;
mod login;
mod look;
mod messages;
mod proactive;
mod reach;
mod reports;
mod sidebar;
mod sites;
mod styles;
mod team;
mod text;
mod words;
mod workspace;
