# linea: casework messages (fr).
action-new-referral = Orienter
action-new-referral-help = Orienter à partir de l'appel ou du dossier à l'écran
action-search = Chercher
action-search-help = Chercher dans les noms et les notes, sans tenir compte des accents ni des majuscules
action-stats = Statistiques
action-stats-help = Les chiffres du bureau sur une période
action-directory = Répertoire
action-directory-help = Les services vers lesquels orienter, et quoi dire aux appelants
action-follow-up = Suivi
action-follow-up-help = Orientations à suivre ou en retard
action-case = Dossier
action-case-help = Sur un appel : ouvrir son dossier, ou en commencer un
action-add-person = Personne
action-add-person-help = Noter une personne dans le dossier (victime, suspect...)
