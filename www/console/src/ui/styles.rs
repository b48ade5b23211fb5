//! Styles that come with a page's chunk: a page agents open rarely brings its own rules
//! and adds them to the document the first time it is drawn (before the browser paints
//! it), so the inbox's download carries only the inbox's CSS (`console.css`).

/// Adds `css` to the document once, under the element id `id`.
pub fn add(id: &str, css: &str) {
    let document = crate::browser::document();
    if document.get_element_by_id(id).is_some() {
        return;
    }
    if let (Ok(style), Some(head)) = (document.create_element("style"), document.head()) {
        style.set_id(id);
        style.set_text_content(Some(css));
        let _ = head.append_child(&style);
    }
}
