//! Plain logic with no browser in it, unit tested natively (`cargo test -p confab-console`).

pub mod format;
pub mod inbox_rows;
pub mod proactive_form;
pub mod route;
pub mod site_form;
pub mod timeline;
