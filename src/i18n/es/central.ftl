# Cifras de todas las oficinas (F7 en la central, linea central stats) y el informe.

central-stats-title = Cifras de todas las oficinas
central-stats-office = Oficina: { $office }
central-stats-all-offices = Todas las oficinas
central-stats-totals = Totales
central-stats-total-calls = Llamadas
central-stats-total-presumed-victims = Personas registradas como presuntas víctimas
central-stats-total-referrals = Derivaciones realizadas
central-stats-total-police-cases = Casos derivados a la policía
central-stats-total-overdue = Derivaciones vencidas hoy
central-stats-calls-by-office = Llamadas por oficina
central-stats-calls-per-week = Llamadas por semana
central-stats-calls-per-month = Llamadas por mes
central-stats-presumed-victims = Presuntas víctimas por oficina
central-stats-funnel = Embudo de derivaciones
central-stats-u1-to-police = De una llamada de emergencia (U1) a la denuncia policial
central-stats-overdue = Derivaciones vencidas por oficina
central-stats-unknown-office = Ninguna oficina tiene el identificador { $office }.
central-funnel-referred = Derivadas (enviadas a la institución)
central-funnel-acknowledged = Recepción confirmada por la institución
central-funnel-investigation-or-service = Investigación abierta o servicio brindado
central-funnel-closed = Concluidas con el servicio brindado
central-u1-calls = Llamadas U1 con denuncia policial
central-u1-median = Mediana, días
central-u1-p90 = Percentil 90, días
central-u1-sentence = { $count ->
    [one] 1 llamada U1 con denuncia policial: mediana { $median } días, percentil 90 { $p90 } días
   *[other] { $count } llamadas U1 con denuncia policial: mediana { $median } días, percentil 90 { $p90 } días
}
central-u1-none = Ninguna llamada U1 con denuncia policial en este período.
field-central-office = Oficina (su identificador; vacío: todas)

report-title = Línea contra la trata de personas: cifras
report-period = Del { $from } al { $to }
report-scope-office = Oficina: { $office }
report-calls = { $count ->
    [one] { $number } llamada
   *[other] { $number } llamadas
}
report-police-cases = { $count ->
    [one] { $number } caso derivado a la policía
   *[other] { $number } casos derivados a la policía
}
report-months = { $count ->
    [one] en { $number } mes
   *[other] en { $number } meses
}
report-headline = { $calls }, { $police } { $months }.
report-contents = Solo cifras: este informe no contiene nombres, teléfonos, notas ni identificadores de registros.
report-made = Elaborado por linea el { $date }.
report-calls-by-month = Llamadas por mes y motivo
report-by-department = Llamadas por departamento
report-exploitation = Formas de explotación reportadas
report-funnel = Embudo de derivaciones
report-funnel-note = Derivaciones del período, según el paso más avanzado de su historial: enviada; recepción confirmada (o rechazada) por la institución; aceptada, en atención o concluida; concluida.
report-response = Tiempos de respuesta
report-sync = Estado de sincronización de las oficinas
report-col-department = Departamento
report-col-calls = Llamadas
report-col-share = Proporción
report-col-office = Oficina
report-col-name = Nombre
report-col-last-batch = Último lote
report-col-last-import = Importado
report-col-days-since = Días desde entonces
report-col-state = Estado
report-never = nunca
report-chart = Gráfico: { $title }
report-public-note = Versión para publicar: se ocultan (–) las cifras de 1 a { $max } y las que permitirían deducirlas a partir de los totales publicados.
report-u1-hidden = Menos de { $k } llamadas U1 con denuncia policial: sus tiempos no se publican.
