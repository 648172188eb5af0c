# linea: casework messages (es).
action-new-referral = Derivar
action-new-referral-help = Derivar desde la llamada o el caso en pantalla
action-search = Buscar
action-search-help = Buscar en nombres y notas, sin importar tildes ni mayúsculas, o un teléfono escrito de cualquier forma
action-stats = Cifras
action-stats-help = Las cifras de la oficina en un periodo
action-directory = Directorio
action-directory-help = Servicios a los que derivar, y qué decir a quien llama
action-follow-up = Seguimiento
action-follow-up-help = Derivaciones por seguir o vencidas
action-case = Caso
action-case-help = En una llamada: abrir su caso, o iniciar uno
action-add-person = Persona
action-add-person-help = Registrar a una persona en el caso (víctima, presunto tratante...)

## Pantallas
screen-new-referral = Nueva derivación
screen-referral = Derivación
screen-follow-up = Seguimiento
screen-case = Caso
screen-person = Persona en el caso
screen-search = Búsqueda

## Formulario de derivación
field-target_type = Derivar a (tipo)
field-institution = Institución
field-referral_reason = Motivo
field-sharing_basis = Base para compartir
field-sent_at = Enviada el
field-method = Medio
field-reference = Su referencia
field-due_at = Seguir antes de
field-lead-passphrase = Frase
referral-bad-time = "{ $text }" no es una hora como 2026-11-28 15:40
referral-saved = Derivación guardada.
referral-checking-lead = Comprobando la frase de contraseña de la responsable...
referral-lead-refused = Esa no es la frase de contraseña de la persona responsable; la derivación no se guardó.
referral-exception-note = Compartir sin el consentimiento de la persona: solo para proteger a un menor, ante peligro inminente o por obligación legal, y la persona responsable lo confirma con su frase de contraseña.
referral-lead-question = La persona responsable confirma compartir sin consentimiento: frase de contraseña y Enter (Esc: volver)
referral-needs-record = Abra primero una llamada o un caso: una derivación parte de ellos.

## La derivación y su estado
field-referral-status = Estado
field-referral-note = Nota
referral-status-title = Nuevo estado, con una nota (F2 guarda)
referral-status-saved = Estado registrado.
referral-escalate = Sin respuesta: escale. Derive a otra institución (F4) o informe a la responsable.
referral-escalate-to = Siguiente para este lugar: { $name }, tel. { $phone }.
referral-escalate-to-no-phone = Siguiente para este lugar: { $name }.
referral-final = Esta derivación está cerrada; su estado ya no cambia. Haga una nueva derivación (F4).
referral-confirmed-by = Excepción confirmada por
referral-history = Historial

## Seguimiento
follow-up-count = { $count ->
    [0] Ninguna derivación por seguir.
    [one] 1 derivación por seguir o vencida
   *[other] { $count } derivaciones por seguir o vencidas
}
follow-up-escalate = ESCALAR
follow-up-column-late = Atraso
follow-up-column-office = Oficina
follow-up-column-institution = Institución
follow-up-days = { $days ->
    [0] hoy
   *[other] { $days } d
}

## Caso
field-case-status = Estado del caso
case-people = { $count ->
    [0] Personas: ninguna registrada (Ctrl-A agrega)
    [one] Personas: 1
   *[other] Personas: { $count }
}
case-timeline = Cronología
case-call = Llamada
case-referral = Derivación
case-age = { $years ->
    [one] 1 año
   *[other] { $years } años
}
case-not-for-non-substantive = Una llamada no sustantiva no puede abrir un caso.
case-new-from-call = Un caso nuevo a partir de esta llamada
case-untitled = (sin título)
case-choose = Caso de esta llamada

## Persona en un caso
field-role = Rol
field-person-name = Nombre
field-alias = Alias
field-phone = Teléfono
field-migration_status = Situación migratoria
field-trafficking_status = Situación de trata
person-saved = Persona registrada en el caso.

## Búsqueda
search-prompt = Buscar:
search-hint = Escriba nombres, palabras de las notas o un teléfono; no importan tildes.
search-none = Ninguna llamada tiene todas esas palabras.
search-found = { $count ->
    [one] 1{ $more } llamada encontrada
   *[other] { $count }{ $more } llamadas encontradas
}
