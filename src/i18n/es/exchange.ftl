# linea: el intercambio por USB, avisos de retención y las pantallas de la central (es).
action-sync = USB
action-sync-help = Intercambiar con la central mediante una memoria USB: elegir su carpeta y ver lo enviado y lo recibido

## Pantallas
screen-sync = Sincronizar
screen-central = Central
screen-central-referrals = Derivaciones

## Sincronizar (F9)
sync-choose = Elija la carpeta de la memoria USB, o escríbala, y pulse Enter. linea solo lee y escribe la carpeta linea de la memoria.
sync-no-media = No se encontró ninguna memoria USB en { $places }: conecte una, o escriba su carpeta abajo.
sync-no-media-here = Este sistema no informa de memorias USB: escriba abajo la carpeta de la memoria.
sync-folder = Carpeta
sync-from-offices = De las oficinas
sync-no-batches = No hay lotes en la memoria
sync-batch-again = Oficina { $office } lote { $seq }: ya importado, nada que hacer
sync-batch-imported = Oficina { $office } lote { $seq }: { $new ->
    [one] 1 nuevo
   *[other] { $new } nuevos
}, { $updated ->
    [one] 1 actualizado
   *[other] { $updated } actualizados
}, { $conflicts } en conflicto
sync-to-offices = Para las oficinas
sync-receipts-left = { $count ->
    [0] Ningún acuse dejado
    [one] Acuse dejado para { $offices }
   *[other] Acuses dejados para { $offices }
}
sync-packs-left = { $count ->
    [0] Ningún paquete de referencia dejado
    [one] Paquete de referencia dejado para { $offices }
   *[other] Paquetes de referencia dejados para { $offices }
}
sync-running = Sincronizando...
sync-phase-reading = Leyendo los acuses y paquetes de referencia de la central
sync-phase-making = Preparando lotes con lo que cambió
sync-phase-writing = Escribiendo los lotes en la memoria y releyéndolos
sync-phase-retention = Depurando lo que la central ya tiene y el periodo de retención permite borrar
sync-phase-done = Listo
sync-done = Sincronización terminada. Expulse la memoria antes de retirarla.
sync-failed = La sincronización se detuvo. Lo que aparece aquí se hizo; la próxima sincronización sigue desde ahí.
sync-from-central = De la central
sync-receipts = Acuse { $versions } aplicado: la central confirmó los lotes que tiene
sync-packs = Paquete de referencia { $versions } aplicado: directorio, guiones y lugares actualizados
sync-outcomes = { $count ->
    [one] 1 resultado de derivación de la central añadido a su historial
   *[other] { $count } resultados de derivación de la central añadidos a su historial
}
sync-nothing-back = Nada nuevo de la central
sync-to-central = A la central
sync-batches-made = { $count ->
    [one] Lote nuevo n.º { $numbers }
   *[other] { $count } lotes nuevos, n.º { $numbers }
}
sync-batches-written = { $count ->
    [one] El lote { $numbers } está en la memoria para la central; queda ahí hasta que vuelva el acuse de la central
   *[other] Los lotes { $numbers } están en la memoria para la central; quedan ahí hasta que vuelva el acuse de la central
}
sync-nothing-waits = Nada espera a la central: cada lote tiene su acuse
sync-purged = { $count ->
    [one] Retención: se depuró aquí 1 caso cerrado que la central ya tiene ({ $records ->
        [one] 1 registro
       *[other] { $records } registros
    }, de más de { $days ->
        [one] 1 día
       *[other] { $days } días
    })
   *[other] Retención: se depuraron aquí { $count } casos cerrados que la central ya tiene ({ $records ->
        [one] 1 registro
       *[other] { $records } registros
    }, de más de { $days ->
        [one] 1 día
       *[other] { $days } días
    })
}
sync-waiting-warning = Un lote lleva { $days ->
    [one] 1 día
   *[other] { $days } días
} esperando el acuse de la central: lleve la memoria a la central.
sync-refused = { $count ->
    [one] Se rechazó 1 archivo de la memoria:
   *[other] Se rechazaron { $count } archivos de la memoria:
}

sync-again = { $key }: sincronizar de nuevo

## Inicio
home-last-receipt = { $days ->
    [0] Último acuse de la central: hoy
    [one] Último acuse de la central: hace 1 día
   *[other] Último acuse de la central: hace { $days } días
}
home-no-receipt = Aún no hay acuse de la central
home-receipt-overdue = Un lote espera hace { $days ->
    [one] 1 día
   *[other] { $days } días
} el acuse de la central: lleve una memoria ({ $key })

## Central
central-read-only = La central lee lo que registraron las oficinas; llamadas, casos y derivaciones se cambian en la oficina. En una derivación, Enter registra un resultado.
central-same-caller = { $count ->
    [one] Mismo número: 1 llamada más
   *[other] Mismo número: { $count } llamadas más
}
central-same-caller-more = … y { $count } más (linea central calls --same-caller)
calls-same-number = { $count } más
central-offices = { $count ->
    [one] 1 oficina, { $overdue } con retraso
   *[other] { $count } oficinas, { $overdue } con retraso
}
central-col-office = OFICINA
central-col-name = NOMBRE
central-col-last = LOTE
central-col-imported = IMPORTADO
central-col-missing = FALTAN
central-col-alerts = ALERTAS
central-col-state = ESTADO
central-state-ok = bien
central-state-overdue = RETRASO
central-state-unregistered = sin clave
central-state-check = revisar
central-state-revoked = REVOCADA
central-no-offices = Aún no hay oficinas inscritas (linea central enroll)
central-alerts = { $count ->
    [one] 1 alerta:
   *[other] { $count } alertas (las más recientes):
}
central-conflicts = { $count ->
    [one] 1 conflicto guardado aparte (linea central conflicts)
   *[other] { $count } conflictos guardados aparte (linea central conflicts)
}
central-calls = { $count ->
    [one] 1 llamada importada de las oficinas
   *[other] { $count } llamadas importadas de las oficinas
}
central-referrals-count = { $count ->
    [one] 1 derivación importada, la más reciente primero
   *[other] { $count } derivaciones importadas, las más recientes primero
}
central-outcomes = Resultados registrados en la central
central-no-outcomes = Ninguno aún: Enter registra uno, para el próximo paquete de la oficina
central-outcome-title = Resultado para la oficina (va con el próximo paquete de la oficina)
central-outcome-saved = Resultado registrado: va a la oficina con su próximo paquete
