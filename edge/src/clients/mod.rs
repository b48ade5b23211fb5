//! How each Durable Object is called: its commands, its answers, and the functions that
//! send them. Everything that calls an object (the Worker's routes, other objects) goes
//! through here, so objects never import one another.

pub mod codes;
pub mod conversation;
pub mod inbox;
pub mod limiter;
pub mod team;
pub mod visitor;

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Each Durable Object's code: a folder, or one file.
    const OBJECTS: &[&str] = &[
        "conversation",
        "inbox",
        "team",
        "visitor",
        "limiter",
        "codes",
    ];

    fn sources(path: &Path, found: &mut Vec<(String, String)>) {
        if path.is_dir() {
            for entry in std::fs::read_dir(path).expect("a source folder") {
                sources(&entry.expect("an entry").path(), found);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(path).expect("a source file");
            found.push((path.display().to_string(), text));
        }
    }

    /// Whether `text` names module `crate::{module}`, also in a `use crate::{…}` list.
    fn names(text: &str, module: &str) -> bool {
        let word = |list: &str| {
            list.split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w == module)
        };
        text.contains(&format!("crate::{module}::"))
            || text.contains(&format!("crate::{module};"))
            || text
                .split("crate::{")
                .skip(1)
                .any(|rest| word(rest.split('}').next().unwrap_or_default()))
    }

    /// Objects call each other through this layer only: no object's code names another
    /// object's module, so there is no import loop between them.
    #[test]
    fn objects_never_import_one_another() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut crossings = Vec::new();
        for object in OBJECTS {
            let mut files = Vec::new();
            let folder = src.join(object);
            match folder.is_dir() {
                true => sources(&folder, &mut files),
                false => sources(&src.join(format!("{object}.rs")), &mut files),
            }
            assert!(!files.is_empty(), "no source for {object}");
            for (file, text) in files {
                for other in OBJECTS.iter().filter(|o| *o != object) {
                    if names(&text, other) {
                        crossings.push(format!("{file} uses crate::{other}"));
                    }
                }
            }
        }
        assert!(crossings.is_empty(), "{crossings:#?}");
    }
}

#[cfg(test)]
mod diagram {
    /// The README's diagram names every Durable Object class `wrangler.toml` deploys.
    #[test]
    fn the_readme_shows_every_object() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let wrangler = std::fs::read_to_string(root.join("wrangler.toml")).expect("wrangler.toml");
        let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
        let diagram = readme
            .split("## How it fits together")
            .nth(1)
            .and_then(|rest| rest.split("```").nth(1))
            .expect("the README's diagram");
        let classes: Vec<&str> = wrangler
            .split("class_name = \"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert!(classes.len() >= 6, "{classes:?}");
        let missing: Vec<_> = classes.iter().filter(|c| !diagram.contains(*c)).collect();
        assert!(
            missing.is_empty(),
            "not in the README's diagram: {missing:?}"
        );
    }
}
