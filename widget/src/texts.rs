//! Every text a visitor reads, per language. Adding a language is adding one constant.

#[derive(Debug)]
pub struct Texts {
    pub open: &'static str,
    pub close: &'static str,
    pub title: &'static str,
    pub greeting: &'static str,
    pub placeholder: &'static str,
    pub send: &'static str,
    pub sending: &'static str,
    pub failed: &'static str,
    pub retry: &'static str,
    pub you: &'static str,
    pub team: &'static str,
    pub load_failed: &'static str,
    pub retrying: &'static str,
    pub seen: &'static str,
    pub earlier: &'static str,
    pub offline: &'static str,
    pub typing: &'static str,
    pub unread: &'static str,
    pub link_hint: &'static str,
}

const EN: Texts = Texts {
    open: "Open messages",
    close: "Close messages",
    title: "Messages",
    greeting:
        "Hi! Ask us anything. You can close this page: the reply will be here when you come back.",
    placeholder: "Write a message…",
    send: "Send",
    sending: "Sending…",
    failed: "Not sent",
    retry: "Retry",
    you: "You",
    team: "Team",
    load_failed: "Your earlier messages could not be loaded. Check your connection.",
    retrying: "Waiting for connection…",
    seen: "Seen",
    earlier: "Earlier messages",
    offline: "You are offline. Your messages will be sent when the connection is back.",
    typing: "Typing…",
    unread: "unread",
    link_hint: "opens in a new tab",
};

const FR: Texts = Texts {
    open: "Ouvrir la messagerie",
    close: "Fermer la messagerie",
    title: "Messages",
    greeting: "Bonjour ! Posez-nous vos questions. Vous pouvez fermer cette page : la réponse vous attendra ici.",
    placeholder: "Écrivez un message…",
    send: "Envoyer",
    sending: "Envoi…",
    failed: "Non envoyé",
    retry: "Réessayer",
    you: "Vous",
    team: "Équipe",
    load_failed: "Vos messages précédents n’ont pas pu être chargés. Vérifiez votre connexion.",
    retrying: "En attente de connexion…",
    seen: "Vu",
    earlier: "Messages précédents",
    offline: "Vous êtes hors ligne. Vos messages partiront dès le retour de la connexion.",
    typing: "En train d’écrire…",
    unread: "non lus",
    link_hint: "s’ouvre dans un nouvel onglet",
};

const DE: Texts = Texts {
    open: "Nachrichten öffnen",
    close: "Nachrichten schließen",
    title: "Nachrichten",
    greeting: "Hallo! Fragen Sie uns alles. Sie können diese Seite schließen: Die Antwort wartet hier auf Sie.",
    placeholder: "Nachricht schreiben…",
    send: "Senden",
    sending: "Wird gesendet…",
    failed: "Nicht gesendet",
    retry: "Erneut senden",
    you: "Sie",
    team: "Team",
    load_failed: "Ihre früheren Nachrichten konnten nicht geladen werden. Prüfen Sie Ihre Verbindung.",
    retrying: "Warte auf Verbindung…",
    seen: "Gesehen",
    earlier: "Frühere Nachrichten",
    offline: "Sie sind offline. Ihre Nachrichten werden gesendet, sobald die Verbindung zurück ist.",
    typing: "Schreibt…",
    unread: "ungelesen",
    link_hint: "öffnet in neuem Tab",
};

const ES: Texts = Texts {
    open: "Abrir mensajes",
    close: "Cerrar mensajes",
    title: "Mensajes",
    greeting: "¡Hola! Pregúntanos lo que quieras. Puedes cerrar esta página: la respuesta te esperará aquí.",
    placeholder: "Escribe un mensaje…",
    send: "Enviar",
    sending: "Enviando…",
    failed: "No enviado",
    retry: "Reintentar",
    you: "Tú",
    team: "Equipo",
    load_failed: "No se pudieron cargar tus mensajes anteriores. Comprueba tu conexión.",
    retrying: "Esperando conexión…",
    seen: "Visto",
    earlier: "Mensajes anteriores",
    offline: "Estás sin conexión. Tus mensajes se enviarán cuando vuelva la conexión.",
    typing: "Escribiendo…",
    unread: "sin leer",
    link_hint: "se abre en una pestaña nueva",
};

impl Texts {
    /// Texts for a BCP 47 tag such as `fr-CA`; English when the language is not translated.
    pub fn for_language(tag: &str) -> &'static Texts {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "fr" => &FR,
            "de" => &DE,
            "es" => &ES,
            _ => &EN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_chosen_by_primary_subtag() {
        assert_eq!(Texts::for_language("fr-CA").send, "Envoyer");
        assert_eq!(Texts::for_language("DE").send, "Senden");
        assert_eq!(Texts::for_language("es_MX").send, "Enviar");
        assert_eq!(Texts::for_language("ja").send, "Send");
        assert_eq!(Texts::for_language("").send, "Send");
    }
}
