//! The agent console's wire types: accounts, the inbox and its live frames.

mod accounts;
mod inbox;
pub mod landing;
pub mod reports;
pub mod sites;
pub mod summary;
pub mod words;

pub use accounts::*;
pub use inbox::*;
