# linea : messages en français. Chaque id existe aussi dans es.ftl et en.ftl.

## Écrans
screen-home = Accueil
screen-calls = Appels
screen-call = Appel
screen-new-call = Nouvel appel
screen-edit-call = Compléter un appel
screen-help = Aide
screen-unlock = Déverrouiller
screen-setup = Configuration

## Actions : libellé de la barre de touches, puis texte d'aide
action-help = Aide
action-help-help = Voir toutes les touches de cet écran et ce qu'elles font
action-save = Enregistrer
action-save-help = Enregistrer la fiche (ou appliquer le filtre)
action-new-call = Nouvel
action-new-call-help = Commencer à saisir un nouvel appel, chronomètre en marche
action-call-template = Modèle
action-call-template-help = Commencer un appel depuis un modèle : les appels fréquents, et ceux enregistrés aussitôt
action-calls = Appels
action-calls-help = La liste des appels, du plus récent au plus ancien
action-quit = Quitter
action-quit-help = Quitter linea (demande d'abord si un appel est en cours de saisie ; son brouillon est gardé)
action-lock = Verrouiller
action-lock-help = Verrouiller maintenant : l'écran est effacé et la base fermée jusqu'à la phrase de passe
action-back = Retour
action-back-help = Revenir, fermer une liste ou annuler
action-home = Accueil
action-home-help = Revenir à l'accueil depuis n'importe quel écran ; l'appel en cours de saisie est gardé, à reprendre depuis l'accueil
action-discard = Abandonner
action-discard-help = Abandonner l'appel non enregistré (l'accueil le reprend le jour même)
action-wipe = Effacer les clés
action-wipe-help = Sur l'écran verrouillé, deux fois : détruire les clés de tous les opérateurs (seule la récupération de la centrale ouvre le magasin ensuite)
action-bring-back = Reprendre
action-bring-back-help = Sur l'accueil : reprendre l'appel laissé non enregistré, ou celui abandonné aujourd'hui
action-next-field = Suivant
action-next-field-help = Aller au champ suivant
action-prev-field = Précédent
action-prev-field-help = Aller au champ précédent
action-choose = Choisir
action-choose-help = Sur un champ à liste (un code, un lieu, un choix) : ouvrir sa liste ; sur un autre champ : aller au suivant
action-record-transfer = Transférer
action-record-transfer-help = Noter un transfert direct vers une institution, avec l'heure
action-record-police-report = Police
action-record-police-report-help = Noter le signalement à la police, avec l'heure
action-earlier-calls = Précédents
action-earlier-calls-help = Sur un nouvel appel : voir les appels précédents du numéro saisi
action-join-case = Même dossier
action-join-case-help = Sur un nouvel appel : le mettre dans le dossier du dernier appel précédent du même numéro
action-move-up = Haut
action-move-up-help = Monter
action-move-down = Bas
action-move-down-help = Descendre
action-page-up = Page préc.
action-page-up-help = Monter d'une page
action-page-down = Page suiv.
action-page-down-help = Descendre d'une page
action-first = Début
action-first-help = Aller à la première ligne
action-last = Fin
action-last-help = Aller à la dernière ligne
action-open = Ouvrir
action-open-help = Ouvrir l'élément choisi (sur un appel : le compléter à ce champ)
action-reveal = Afficher
action-reveal-help = Afficher ou masquer le nom et le numéro sur la ligne choisie
action-filter = Filtrer
action-filter-help = Filtrer la liste par dates, motif, urgence, lieu et téléphone
action-confirm = OK
action-confirm-help = Choisir l'élément en surbrillance, ou le cocher ; répondre oui à une question

## Champs des formulaires
field-channel = Canal
field-caller_type = Appelant
field-reason = Motif
field-urgency = Urgence
field-caller_name = Nom de l'appelant
field-caller_phone = Téléphone
field-caller_phone_hashes = Téléphone (haché)
field-caller_place = Lieu de l'appelant
field-language = Langue
field-recruitment_place = Recruté(e) à
field-exploitation_place = Exploité(e) à
field-exploitation_types = Exploitation
field-means_of_control = Moyens de contrôle
field-indicators = Indicateurs
field-age_years = Âge (ans)
field-age_band = Tranche d'âge
field-gender = Sexe / genre
field-citizenship = Nationalité
field-information_given = Informations données
field-outcomes = Suite donnée
field-notes = Notes
field-unlock-operator = Opérateur/trice
field-unlock-passphrase = Phrase de passe
field-filter-from = Du (AAAA-MM-JJ)
field-filter-to = Au (AAAA-MM-JJ)
field-setup-kit-file = Fichier du kit
field-setup-operator = Votre nom (responsable)
field-setup-passphrase = Phrase de passe
field-setup-passphrase-again = Répéter la phrase
field-setup-fingerprint = Empreinte lue
form-answers-summary = { $yes } oui, { $no } non, { $unknown } inconnu

## Listes de choix
picker-type-to-filter = Tapez pour filtrer :
form-key-choose = Choisir
form-key-mark = Cocher
form-key-answer = Oui/Non/?
form-key-new-line = Nouvelle ligne
picker-no-match = Rien ne correspond ; Retour arrière pour élargir
place-department = département
place-province = province
place-district = district
answer-yes-short = O
answer-no-short = N

## Accueil
home-calls-today = { $count ->
    [one] 1 appel aujourd'hui
   *[other] { $count } appels aujourd'hui
}
home-referrals-due = { $count ->
    [0] Aucune orientation à suivre
    [one] 1 orientation à suivre ({ $overdue } en retard)
   *[other] { $count } orientations à suivre ({ $overdue } en retard)
}
home-due = à suivre
home-overdue = EN RETARD
home-open-cases = { $count ->
    [one] 1 dossier ouvert
   *[other] { $count } dossiers ouverts
}
home-unsent = { $count ->
    [0] Toutes les modifications ont été envoyées au centre
    [one] 1 modification pas encore envoyée au centre
   *[other] { $count } modifications pas encore envoyées au centre
}
home-drafts = { $count ->
    [one] 1 appel non enregistré : { $key } le reprend
   *[other] { $count } appels non enregistrés : { $key } le reprend
}
home-discarded = { $count ->
    [one] 1 appel abandonné aujourd'hui : { $key } le reprend
   *[other] { $count } appels abandonnés aujourd'hui : { $key } le reprend
}
call-discarded = Appel abandonné. { $key } sur l'accueil le reprend jusqu'à la fin de la journée.
call-brought-back = L'appel est revenu, tel qu'il était.
weekday-0 = lun
weekday-1 = mar
weekday-2 = mer
weekday-3 = jeu
weekday-4 = ven
weekday-5 = sam
weekday-6 = dim

## Liste des appels
filter-title = Filtre
filter-from = du
filter-to = au
filter-none = tous les appels
filter-bad-date = « { $text } » n'est pas une date comme 2026-11-28
column-started = Début
column-urgency = U
column-reason = Motif
column-place = Lieu
column-phone = Téléphone
column-caller = Appelant
calls-none = Aucun appel ne correspond.

## Formulaire et fiche d'appel
call-saved = Appel enregistré.
call-urgency-proposed = Urgence selon le motif : { $urgency }. Changez-la si l'appel indique autre chose.
call-discard-question = Cet appel n'est pas enregistré. { $discard } : l'abandonner (l'accueil le reprend aujourd'hui). { $home } : accueil, en le gardant. Échap, Entrée : continuer la saisie.
call-header = Début { $started }, fin { $ended }, par { $author }, version { $version }
call-earlier = { $count ->
    [one] 1 appel précédent de ce numéro
   *[other] { $count } appels précédents de ce numéro
} — { $see } : les voir
call-earlier-case = { $count ->
    [one] 1 appel précédent de ce numéro
   *[other] { $count } appels précédents de ce numéro
} — { $see } : les voir ; { $join } : même dossier
call-in-earlier-case = Dans le dossier d'un appel précédent de ce numéro — { $see } : voir les appels
call-earlier-no-case = Le dernier appel précédent de ce numéro n'a pas de dossier.
call-joined-case = Cet appel sera enregistré dans le dossier du dernier appel précédent.
flag-possible-victim = Victime présumée (règle des indicateurs ; pas une qualification juridique)
emergency-title = URGENCE
emergency-local = Près de l'appelant
emergency-none-yet = Aucun transfert ni signalement à la police noté pour l'instant.
emergency-recorded = Noté à { $time } : { $what }, { $target }
emergency-already = Déjà noté à { $time } : { $what }, { $target }
emergency-target-title = { $what } : à qui ? (tapez pour filtrer, ou un nom)
call-still-open = L'appel est toujours ouvert : { $key } l'enregistre et le termine.
call-timer = appel { $time }
draft-recovered = L'appel que vous saisissiez est revenu, tel que vous l'aviez laissé.

## Déverrouillage, verrouillage, sortie
unlock-title = Qui est de permanence ?
unlock-wrong-passphrase = Phrase de passe incorrecte pour { $operator }. Réessayez ; en cas d'oubli, le ou la responsable peut vous ajouter à nouveau.
unlock-opening = Ouverture de la base...
unlock-wait = Attendez { $seconds } s avant de réessayer.
unlock-wipe-confirm = { $key } encore une fois détruit les clés de tous les opérateurs : seule l'identité de récupération de la centrale ouvrira ce magasin. Toute autre touche annule.
locked = Verrouillé. Tapez votre phrase de passe pour reprendre où vous étiez.
quit-question = Un appel est en cours de saisie ; son brouillon est gardé et reviendra la prochaine fois. Quitter ? Entrée : quitter. Échap : rester.
too-small = Le terminal est trop petit ({ $width }x{ $height }) ; linea a besoin d'au moins { $min_width }x{ $min_height }. Agrandissez-le, ou appuyez sur F10 pour quitter.
demo-hint = Bureau de démonstration : la phrase de passe de chacun est « { $passphrase } ».

## D'autres linea sur la même base
wait-key-change = En attente d'un autre linea qui change les clés de cette base...
wait-writer = En attente d'un autre linea qui écrit dans la base...
wait-in-use = En attente qu'un autre linea sur cette base (un écran ou une commande) la libère, pour en changer les clés...
operator-removed = { $operator } a été retiré·e de cette base par le ou la responsable : l'écran est verrouillé. Le brouillon enregistré un instant plus tôt est gardé (les dernières touches peuvent manquer) ; il revient si { $operator } est ajouté·e à nouveau.
store-moved = Non enregistré : le dossier de la base manque ou a été remplacé. Remettez-le.
store-disk-full = Non enregistré : le disque est plein. Libérez de la place, puis réessayez.
store-read-only = Non enregistré : linea ne peut pas écrire dans le dossier de la base.
store-busy = Non enregistré : un autre linea a occupé la base trop longtemps. Réessayez.

## Aide
help-intro = Touches de cet écran et touches générales, d'après la carte de touches active :
help-text-keys = Dans les champs de texte, la frappe écrit ; Gauche, Droite, Début, Fin, Retour arrière et Suppr modifient. Dans les notes, Entrée commence une ligne et Haut/Bas changent de ligne ; Tab en sort.

## Problèmes de carte de touches au démarrage
keymap-problems = Le fichier de carte de touches a des problèmes :
keymap-problems-choice = Entrée : continuer avec la carte par défaut. F10 : quitter et corriger le fichier.

## Premier lancement
setup-title = Il n'y a pas encore de base linea ici.
setup-from-kit = Configurer ce bureau avec le kit du centre
setup-demo = Ouvrir la démonstration (données fictives, dans un dossier temporaire)
setup-kit-intro = Indiquez le fichier du kit envoyé par le centre, votre nom et une phrase de passe (au moins 10 caractères).
setup-kit-office = Bureau : { $office }
setup-fingerprint = Empreinte du centre : { $fingerprint }
setup-fingerprint-type = Tapez l'empreinte que le centre vous lit au téléphone, puis Entrée. Si elle est refusée, arrêtez : le kit ne vient pas de votre centre.
setup-passphrase-short = La phrase de passe est trop courte : au moins 10 caractères.
setup-passphrase-differ = Les deux phrases de passe diffèrent.
setup-working = En cours... cela prend quelques secondes.
setup-done = Bureau configuré. Apportez { $file } au centre pour l'enregistrer.
setup-fingerprint-wrong = Ce n'est pas l'empreinte de ce kit : le kit ne vient pas de votre centre. Ne l'utilisez pas ; appelez le centre.
setup-done-office = Le bureau { $office } est configuré.
setup-office-fingerprint = Empreinte de la clé de votre bureau : { $fingerprint }
setup-office-fingerprint-read = Lisez-la au centre pendant ce même appel : le centre la tape pour enregistrer votre bureau. Puis apportez { $file } au centre. Entrée ouvre le bureau.

## Fiches refusées
error-missing = Il faut { $field } pour enregistrer.
error-unknown-code = { $field } : « { $detail } » n'est pas dans la liste ; choisissez-y.
error-personal-data = { $field } : un appel non substantiel ne garde aucune donnée personnelle ; effacez-la.
error-future = { $field } est dans le futur ; vérifiez l'horloge de l'ordinateur.
error-before-call = { $field } est avant le début de l'appel.
error-invalid = { $field } n'est pas valide : { $detail }
template-title = Modèles d'appel (numéro puis Entrée ; Échap : formulaire vide)
template-saved-at-once = { $template } (enregistré aussitôt)
template-saved = { $template } : enregistré.
help-templates = Modèles d’appel ({ $key }, puis le numéro et Entrée) :
home-templates = { $key } : modèles (muet, raccroché, canular, erreur de numéro, information…)

action-emergency-checklist = Liste
action-emergency-checklist-help = Pendant un appel U1 : cocher ce qui a été vérifié (lieu, danger immédiat, peut parler, mineurs présents), enregistré avec l'appel
emergency-checklist = Vérifié
check-LOCATION = Lieu
check-DANGER_NOW = Danger immédiat
check-SAFE_TO_TALK = Peut parler sans risque
check-MINORS_PRESENT = Mineurs présents
