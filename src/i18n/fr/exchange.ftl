# linea : l'échange par clé USB, les avertissements de conservation et les écrans du centre (fr).
action-sync = Synchro
action-sync-help = Échanger avec le centre par une clé USB : choisir son dossier, puis lire ce qui est parti et ce qui est revenu

## Écrans
screen-sync = Synchroniser
screen-central = Centre
screen-central-referrals = Orientations

## Synchroniser (F9)
sync-choose = Choisissez le dossier de la clé USB, ou tapez-le, puis appuyez sur Entrée. linea ne lit et n'écrit que le dossier linea de la clé.
sync-no-media = Aucune clé USB trouvée dans { $places } : branchez-en une, ou tapez son dossier ci-dessous.
sync-no-media-here = Ce système ne signale pas les clés USB : tapez ci-dessous le dossier de la clé.
sync-folder = Dossier
sync-from-offices = Des bureaux
sync-no-batches = Aucun lot sur la clé
sync-batch-again = Bureau { $office } lot { $seq } : déjà importé, rien à faire
sync-batch-imported = Bureau { $office } lot { $seq } : { $new ->
    [one] 1 nouveau
   *[other] { $new } nouveaux
}, { $updated } mis à jour, { $conflicts } en conflit
sync-to-offices = Vers les bureaux
sync-receipts-left = { $count ->
    [0] Aucun accusé laissé
    [one] Accusé laissé pour { $offices }
   *[other] Accusés laissés pour { $offices }
}
sync-packs-left = { $count ->
    [0] Aucun paquet de référence laissé
    [one] Paquet de référence laissé pour { $offices }
   *[other] Paquets de référence laissés pour { $offices }
}
sync-running = Synchronisation...
sync-phase-reading = Lecture des accusés et des paquets de référence du centre
sync-phase-making = Préparation des lots de ce qui a changé
sync-phase-writing = Écriture des lots sur la clé et relecture
sync-phase-retention = Purge de ce que le centre a déjà et que la durée de conservation laisse partir
sync-phase-done = Terminé
sync-done = Synchronisation terminée. Éjectez la clé avant de la retirer.
sync-failed = La synchronisation s'est arrêtée. Ce qui est listé ici a été fait ; la prochaine synchronisation reprend de là.
sync-from-central = Du centre
sync-receipts = Accusé { $versions } appliqué : le centre a confirmé les lots qu'il a
sync-packs = Paquet de référence { $versions } appliqué : annuaire, textes et lieux mis à jour
sync-outcomes = { $count ->
    [one] 1 résultat d'orientation du centre ajouté à son historique
   *[other] { $count } résultats d'orientation du centre ajoutés à leur historique
}
sync-nothing-back = Rien de nouveau du centre
sync-to-central = Vers le centre
sync-batches-made = { $count ->
    [one] Nouveau lot n° { $numbers }
   *[other] { $count } nouveaux lots, n° { $numbers }
}
sync-batches-written = { $count ->
    [one] Le lot { $numbers } est sur la clé pour le centre ; il y reste jusqu'au retour de l'accusé du centre
   *[other] Les lots { $numbers } sont sur la clé pour le centre ; ils y restent jusqu'au retour de l'accusé du centre
}
sync-nothing-waits = Rien n'attend le centre : chaque lot a son accusé
sync-purged = { $count ->
    [one] Conservation : 1 dossier clos que le centre a déjà a été purgé ici ({ $records ->
        [one] 1 enregistrement
       *[other] { $records } enregistrements
    }, de plus de { $days ->
        [one] 1 jour
       *[other] { $days } jours
    })
   *[other] Conservation : { $count } dossiers clos que le centre a déjà ont été purgés ici ({ $records ->
        [one] 1 enregistrement
       *[other] { $records } enregistrements
    }, de plus de { $days ->
        [one] 1 jour
       *[other] { $days } jours
    })
}
sync-waiting-warning = Un lot attend depuis { $days ->
    [one] 1 jour
   *[other] { $days } jours
} l'accusé du centre : apportez la clé au centre.
sync-refused = { $count ->
    [one] 1 fichier de la clé a été refusé :
   *[other] { $count } fichiers de la clé ont été refusés :
}

sync-again = { $key } : synchroniser à nouveau

## Accueil
home-last-receipt = { $days ->
    [0] Dernier accusé du centre : aujourd'hui
    [one] Dernier accusé du centre : il y a 1 jour
   *[other] Dernier accusé du centre : il y a { $days } jours
}
home-no-receipt = Pas encore d'accusé du centre
home-receipt-overdue = Un lot attend depuis { $days ->
    [one] 1 jour
   *[other] { $days } jours
} l'accusé du centre : apportez une clé ({ $key })

## Centre
central-read-only = Le centre lit ce que les bureaux ont enregistré ; appels, dossiers et orientations se modifient au bureau. Sur une orientation, Entrée enregistre un résultat.
central-same-caller = { $count ->
    [one] Même numéro : 1 autre appel
   *[other] Même numéro : { $count } autres appels
}
central-same-caller-more = … et { $count } de plus (linea central calls --same-caller)
calls-same-number = { $count ->
    [one] 1 autre
   *[other] { $count } autres
}
central-offices = { $count ->
    [one] 1 bureau, { $overdue } en retard
   *[other] { $count } bureaux, { $overdue } en retard
}
central-col-office = BUREAU
central-col-name = NOM
central-col-last = LOT
central-col-imported = IMPORTÉ
central-col-missing = MANQUE
central-col-alerts = ALERTES
central-col-state = ÉTAT
central-state-ok = ok
central-state-overdue = RETARD
central-state-unregistered = sans clé
central-state-check = vérifier
central-state-revoked = RÉVOQUÉ
central-no-offices = Aucun bureau inscrit pour l'instant (linea central enroll)
central-alerts = { $count ->
    [one] 1 alerte :
   *[other] { $count } alertes (les plus récentes) :
}
central-conflicts = { $count ->
    [one] 1 conflit gardé à part (linea central conflicts)
   *[other] { $count } conflits gardés à part (linea central conflicts)
}
central-calls = { $count ->
    [one] 1 appel importé des bureaux
   *[other] { $count } appels importés des bureaux
}
central-referrals-count = { $count ->
    [one] 1 orientation importée, la plus récente d'abord
   *[other] { $count } orientations importées, les plus récentes d'abord
}
central-outcomes = Résultats enregistrés au centre
central-no-outcomes = Aucun pour l'instant : Entrée en enregistre un, pour le prochain paquet du bureau
central-outcome-title = Résultat pour le bureau (il part avec le prochain paquet du bureau)
central-outcome-saved = Résultat enregistré : il part au bureau avec son prochain paquet
