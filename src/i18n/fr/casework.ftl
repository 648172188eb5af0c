# linea: casework messages (fr).
action-new-referral = Orienter
action-new-referral-help = Orienter à partir de l'appel ou du dossier à l'écran
action-search = Chercher
action-search-help = Chercher dans les noms et les notes, sans tenir compte des accents ni des majuscules, ou un numéro saisi de n'importe quelle façon
action-stats = Stats
action-stats-help = Les chiffres du bureau sur une période
action-directory = Annuaire
action-directory-help = Les services vers lesquels orienter, et quoi dire aux appelants
action-follow-up = Suivi
action-follow-up-help = Orientations à suivre ou en retard
action-case = Dossier
action-case-help = Sur un appel : ouvrir son dossier, ou en commencer un
action-add-person = Personne
action-add-person-help = Noter une personne dans le dossier (victime, suspect...)

## Écrans
screen-new-referral = Nouvelle orientation
screen-referral = Orientation
screen-follow-up = Suivi
screen-case = Dossier
screen-person = Personne du dossier
screen-search = Recherche

## Formulaire d'orientation
field-target_type = Orienter vers (type)
field-institution = Institution
field-referral_reason = Motif
field-sharing_basis = Base du partage
field-sent_at = Envoyée le
field-method = Moyen
field-reference = Leur référence
field-due_at = Suivre avant le
field-lead-passphrase = Phrase de passe
referral-bad-time = « { $text } » n'est pas une heure comme 2026-11-28 15:40
referral-saved = Orientation enregistrée.
referral-checking-lead = Vérification de la phrase de passe du responsable...
referral-lead-refused = Ce n'est pas la phrase de passe du responsable ; l'orientation n'a pas été enregistrée.
referral-exception-note = Partager sans le consentement de la personne : seulement pour protéger un mineur, en cas de danger imminent ou d'obligation légale, et le ou la responsable le confirme avec sa phrase de passe.
referral-lead-question = Le ou la responsable confirme le partage sans consentement : phrase de passe puis Entrée (Échap : retour)
referral-needs-record = Ouvrez d'abord un appel ou un dossier : une orientation en part.

## L'orientation et son état
field-referral-status = État
field-referral-note = Note
referral-status-title = Nouvel état, avec une note (F2 enregistre)
referral-status-saved = État noté.
referral-escalate = Sans réponse : faites remonter. Orientez vers une autre institution (F4) ou prévenez le ou la responsable.
referral-escalate-to = Suivante pour ce lieu : { $name }, tél. { $phone }.
referral-escalate-to-no-phone = Suivante pour ce lieu : { $name }.
referral-final = Cette orientation est close ; son état ne change plus. Faites une nouvelle orientation (F4).
referral-confirmed-by = Exception confirmée par
referral-history = Historique

## Suivi
follow-up-count = { $count ->
    [0] Aucune orientation à suivre.
    [one] 1 orientation à suivre ou en retard
   *[other] { $count } orientations à suivre ou en retard
}
follow-up-escalate = À REMONTER
follow-up-column-late = Retard
follow-up-column-office = Bureau
follow-up-column-institution = Institution
follow-up-days = { $days ->
    [0] auj.
   *[other] { $days } j
}

## Dossier
field-case-status = État du dossier
case-people = { $count ->
    [0] Personnes : aucune notée (Ctrl-A en ajoute)
    [one] Personnes : 1
   *[other] Personnes : { $count }
}
case-timeline = Chronologie
case-call = Appel
case-referral = Orientation
case-age = { $years ->
    [one] 1 an
   *[other] { $years } ans
}
case-not-for-non-substantive = Un appel non substantiel ne peut pas ouvrir de dossier.
case-new-from-call = Un nouveau dossier à partir de cet appel
case-untitled = (sans titre)
case-choose = Dossier de cet appel

## Personne d'un dossier
field-role = Rôle
field-person-name = Nom
field-alias = Surnom
field-phone = Téléphone
field-migration_status = Situation migratoire
field-trafficking_status = Statut au regard de la traite
person-saved = Personne notée dans le dossier.

## Recherche
search-prompt = Chercher :
search-hint = Tapez des noms, des mots des notes ou un numéro ; les accents ne comptent pas.
search-none = Aucun appel n'a tous ces mots.
search-found = { $count ->
    [one] 1{ $more } appel trouvé
   *[other] { $count }{ $more } appels trouvés
}
