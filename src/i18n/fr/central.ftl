# Les chiffres de tous les bureaux (F7 au central, linea central stats) et le rapport.

central-stats-title = Chiffres de tous les bureaux
central-stats-office = Bureau : { $office }
central-stats-all-offices = Tous les bureaux
central-stats-totals = Totaux
central-stats-total-calls = Appels
central-stats-total-presumed-victims = Personnes signalées comme victimes présumées
central-stats-total-referrals = Orientations faites
central-stats-total-police-cases = Cas signalés à la police
central-stats-total-overdue = Orientations en retard aujourd'hui
central-stats-calls-by-office = Appels par bureau
central-stats-calls-per-week = Appels par semaine
central-stats-calls-per-month = Appels par mois
central-stats-presumed-victims = Victimes présumées par bureau
central-stats-funnel = Entonnoir des orientations
central-stats-u1-to-police = D'un appel d'urgence (U1) au signalement à la police
central-stats-overdue = Orientations en retard par bureau
central-stats-unknown-office = Aucun bureau n'a l'identifiant { $office }.
central-funnel-referred = Orientées (envoyées à l'institution)
central-funnel-acknowledged = Réception confirmée par l'institution
central-funnel-investigation-or-service = Enquête ouverte ou service rendu
central-funnel-closed = Clôturées, le service rendu
central-u1-calls = Appels U1 avec signalement à la police
central-u1-median = Médiane, jours
central-u1-p90 = 90e centile, jours
central-u1-sentence = { $count ->
    [one] 1 appel U1 avec signalement à la police : médiane { $median } jours, 90e centile { $p90 } jours
   *[other] { $count } appels U1 avec signalement à la police : médiane { $median } jours, 90e centile { $p90 } jours
}
central-u1-none = Aucun appel U1 avec signalement à la police sur cette période.
field-central-office = Bureau (son identifiant ; vide : tous)

report-title = Ligne contre la traite des personnes : chiffres
report-period = Du { $from } au { $to }
report-scope-office = Bureau : { $office }
report-calls = { $count ->
    [one] { $number } appel
   *[other] { $number } appels
}
report-police-cases = { $count ->
    [one] { $number } cas signalé à la police
   *[other] { $number } cas signalés à la police
}
report-months = { $count ->
    [one] en { $number } mois
   *[other] en { $number } mois
}
report-headline = { $calls }, { $police } { $months }.
report-contents = Des chiffres seulement : ce rapport ne contient ni nom, ni numéro de téléphone, ni note, ni identifiant d'enregistrement.
report-made = Établi par linea le { $date }.
report-calls-by-month = Appels par mois et par motif
report-by-department = Appels par département
report-exploitation = Formes d'exploitation signalées
report-funnel = Entonnoir des orientations
report-funnel-note = Orientations de la période, selon l'étape la plus avancée de leur historique : envoyée ; réception confirmée (ou refusée) par l'institution ; acceptée, en cours ou terminée ; terminée.
report-response = Délais de réponse
report-sync = Synchronisation des bureaux
report-col-department = Département
report-col-calls = Appels
report-col-share = Part
report-col-office = Bureau
report-col-name = Nom
report-col-last-batch = Dernier lot
report-col-last-import = Importé
report-col-days-since = Jours depuis
report-col-state = État
report-never = jamais
report-chart = Graphique : { $title }
report-public-note = Version à publier : les nombres de 1 à { $max } sont masqués (–), ainsi que ceux qui permettraient de les retrouver à partir des totaux publiés.
report-u1-hidden = Moins de { $k } appels U1 avec signalement à la police : leurs délais ne sont pas publiés.
