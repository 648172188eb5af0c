# linea: mensajes en español (primer idioma). Cada id existe también en en.ftl y fr.ftl.

## Pantallas
screen-home = Inicio
screen-calls = Llamadas
screen-call = Llamada
screen-new-call = Nueva llamada
screen-edit-call = Completando una llamada
screen-help = Ayuda
screen-unlock = Desbloquear
screen-setup = Configuración

## Acciones: etiqueta de la barra de teclas, y texto de ayuda
action-help = Ayuda
action-help-help = Ver todas las teclas de esta pantalla y qué hacen
action-save = Guardar
action-save-help = Guardar el registro (o aplicar el filtro)
action-new-call = Nueva
action-new-call-help = Empezar a registrar una llamada nueva, con su cronómetro
action-call-template = Plantilla
action-call-template-help = Empezar una llamada desde una plantilla: las frecuentes, y las que se guardan al instante
action-calls = Llamadas
action-calls-help = La lista de llamadas, de la más reciente a la más antigua
action-quit = Salir
action-quit-help = Salir de linea (pregunta antes si hay una llamada a medio escribir; su borrador se conserva)
action-lock = Bloquear
action-lock-help = Bloquear ya: se borra la pantalla y se cierra el almacén hasta escribir la frase de contraseña
action-back = Atrás
action-back-help = Volver, cerrar una lista o cancelar
action-home = Inicio
action-home-help = Ir al inicio desde cualquier pantalla; la llamada que se escribe se guarda para recuperarla desde el inicio
action-discard = Descartar
action-discard-help = Descartar la llamada sin guardar (el inicio la recupera el mismo día)
action-wipe = Borrar llaves
action-wipe-help = En la pantalla de bloqueo, dos veces: destruir las llaves de todos los operadores (solo la recuperación de la central abre el almacén después)
action-bring-back = Recuperar
action-bring-back-help = En el inicio: recuperar la llamada que quedó sin guardar, o la descartada hoy
action-next-field = Siguiente
action-next-field-help = Ir al campo siguiente
action-prev-field = Anterior
action-prev-field-help = Ir al campo anterior
action-choose = Elegir
action-choose-help = En un campo de lista (un código, un lugar, una opción): abrir su lista; en otro campo: ir al siguiente
action-record-transfer = Transferir
action-record-transfer-help = Registrar una transferencia en caliente a una institución, con la hora
action-record-police-report = PNP
action-record-police-report-help = Registrar el reporte a la policía, con la hora
action-earlier-calls = Anteriores
action-earlier-calls-help = En una llamada nueva: ver las llamadas anteriores del número escrito
action-join-case = Mismo caso
action-join-case-help = En una llamada nueva: ponerla en el caso de la última llamada anterior del mismo número
action-move-up = Arriba
action-move-up-help = Subir
action-move-down = Abajo
action-move-down-help = Bajar
action-page-up = Pág. arriba
action-page-up-help = Subir una página
action-page-down = Pág. abajo
action-page-down-help = Bajar una página
action-first = Inicio
action-first-help = Ir a la primera fila
action-last = Final
action-last-help = Ir a la última fila
action-open = Abrir
action-open-help = Abrir lo seleccionado (en una llamada: completarla en ese campo)
action-reveal = Mostrar
action-reveal-help = Mostrar u ocultar el nombre y el teléfono en la fila seleccionada
action-filter = Filtrar
action-filter-help = Filtrar la lista por fechas, motivo, urgencia, lugar y teléfono
action-confirm = Aceptar
action-confirm-help = Elegir lo resaltado, o marcarlo; responder que sí a una pregunta

## Campos de los formularios
field-channel = Canal
field-caller_type = Quien llama
field-reason = Motivo
field-urgency = Urgencia
field-caller_name = Nombre de quien llama
field-caller_phone = Teléfono
field-caller_phone_hashes = Teléfono (cifrado)
field-caller_place = Lugar de quien llama
field-language = Idioma
field-recruitment_place = Captada/o en
field-exploitation_place = Explotada/o en
field-exploitation_types = Explotación
field-means_of_control = Medios de control
field-indicators = Indicadores
field-age_years = Edad (años)
field-age_band = Rango de edad
field-gender = Sexo / género
field-citizenship = Nacionalidad
field-information_given = Información brindada
field-outcomes = Resultado
field-notes = Notas
field-unlock-operator = Operador/a
field-unlock-passphrase = Frase de contraseña
field-filter-from = Desde (AAAA-MM-DD)
field-filter-to = Hasta (AAAA-MM-DD)
field-setup-kit-file = Archivo del kit
field-setup-operator = Su nombre
field-setup-passphrase = Frase de contraseña
field-setup-passphrase-again = Repita la frase
field-setup-fingerprint = Huella leída
form-answers-summary = { $yes } sí, { $no } no, { $unknown } no se sabe

## Listas de selección
picker-type-to-filter = Escriba para filtrar:
form-key-choose = Elegir
form-key-mark = Marcar
form-key-answer = Sí/No/?
form-key-new-line = Nueva línea
picker-no-match = Nada coincide; Retroceso para ampliar
place-department = departamento
place-province = provincia
place-district = distrito
answer-yes-short = S
answer-no-short = N

## Inicio
home-calls-today = { $count ->
    [one] 1 llamada hoy
   *[other] { $count } llamadas hoy
}
home-referrals-due = { $count ->
    [0] Ninguna derivación por seguir
    [one] 1 derivación por seguir ({ $overdue ->
        [one] 1 vencida
       *[other] { $overdue } vencidas
    })
   *[other] { $count } derivaciones por seguir ({ $overdue ->
        [one] 1 vencida
       *[other] { $overdue } vencidas
    })
}
home-due = por vencer
home-overdue = VENCIDA
home-open-cases = { $count ->
    [one] 1 caso abierto
   *[other] { $count } casos abiertos
}
home-unsent = { $count ->
    [0] Todos los cambios se enviaron a la central
    [one] 1 cambio aún no enviado a la central
   *[other] { $count } cambios aún no enviados a la central
}
home-drafts = { $count ->
    [one] 1 llamada sin guardar: { $key } la recupera
   *[other] { $count } llamadas sin guardar: { $key } la recupera
}
home-discarded = { $count ->
    [one] 1 llamada descartada hoy: { $key } la recupera
   *[other] { $count } llamadas descartadas hoy: { $key } la recupera
}
call-discarded = Llamada descartada. { $key } en el inicio la recupera hasta el final del día.
call-brought-back = La llamada volvió, tal como quedó.
weekday-0 = lun
weekday-1 = mar
weekday-2 = mié
weekday-3 = jue
weekday-4 = vie
weekday-5 = sáb
weekday-6 = dom

## Lista de llamadas
filter-title = Filtro
filter-from = desde
filter-to = hasta
filter-none = todas las llamadas
filter-bad-date = "{ $text }" no es una fecha como 2026-11-28
column-started = Inicio
column-urgency = U
column-reason = Motivo
column-place = Lugar
column-phone = Teléfono
column-caller = Quien llama
calls-none = Ninguna llamada coincide.

## Formulario y vista de llamada
call-saved = Llamada guardada.
call-urgency-proposed = Urgencia según el motivo: { $urgency }. Cámbiela si la llamada indica otra.
call-discard-question = Esta llamada no está guardada. { $discard }: descartarla (el inicio la recupera hoy). { $home }: ir al inicio sin perderla. Esc, Enter: seguir escribiendo.
call-header = Inicio { $started }, fin { $ended }, por { $author }, versión { $version }
call-earlier = { $count ->
    [one] 1 llamada anterior de este número
   *[other] { $count } llamadas anteriores de este número
} — { $see }: verlas
call-earlier-case = { $count ->
    [one] 1 llamada anterior de este número
   *[other] { $count } llamadas anteriores de este número
} — { $see }: verlas; { $join }: mismo caso
call-in-earlier-case = En el caso de una llamada anterior de este número — { $see }: ver las llamadas
call-earlier-no-case = La última llamada anterior de este número no tiene caso.
call-joined-case = Esta llamada se guardará en el caso de la última llamada anterior.
flag-possible-victim = Presunta víctima (regla de indicadores; no es una determinación legal)
emergency-title = EMERGENCIA
emergency-local = Cerca de quien llama
emergency-none-yet = Aún no se registró transferencia ni reporte a la PNP.
emergency-recorded = Registrado a las { $time }: { $what }, { $target }
emergency-already = Ya registrado a las { $time }: { $what }, { $target }
emergency-target-title = { $what }: ¿a quién? (escriba para filtrar o un nombre)
call-still-open = La llamada sigue abierta: { $key } la guarda y la termina.
call-timer = llamada { $time }
draft-recovered = Volvió la llamada que estaba escribiendo, tal como la dejó.

## Desbloqueo, bloqueo, salida
unlock-title = ¿Quién atiende?
unlock-wrong-passphrase = Frase de contraseña incorrecta para { $operator }. Intente de nuevo; si la olvidó, la persona responsable puede volver a agregarle.
unlock-opening = Abriendo el almacén...
unlock-wait = Espere { $seconds } s antes de volver a intentar.
unlock-wipe-confirm = { $key } otra vez destruye las llaves de todos los operadores: solo la identidad de recuperación de la central abrirá este almacén. Cualquier otra tecla cancela.
locked = Bloqueado. Escriba su frase de contraseña para seguir donde estaba.
quit-question = Hay una llamada a medio escribir; su borrador se conserva y vuelve la próxima vez. ¿Salir? Enter: salir. Esc: quedarse.
too-small = La terminal es muy pequeña ({ $width }x{ $height }); linea necesita al menos { $min_width }x{ $min_height }. Agrándela, o pulse F10 para salir.
demo-hint = Oficina de demostración: la frase de contraseña de todos es "{ $passphrase }".

## Otros linea en el mismo almacén
wait-key-change = Esperando que otro linea termine de cambiar las claves de este almacén...
wait-writer = Esperando que otro linea termine de escribir en el almacén...
wait-in-use = Esperando que otro linea en este almacén (una pantalla o un comando) lo suelte, para cambiar sus claves...
operator-removed = La persona responsable quitó a { $operator } de este almacén, así que la pantalla se bloqueó. Se guarda el borrador de hace un momento (pueden faltar las últimas teclas): vuelve si se agrega de nuevo a { $operator }.
store-moved = No guardado: la carpeta del almacén falta o fue reemplazada. Repóngala.
store-disk-full = No guardado: el disco está lleno. Libere espacio y vuelva a guardar.
store-read-only = No guardado: linea no puede escribir en la carpeta del almacén.
store-busy = No guardado: otro linea ocupó el almacén demasiado tiempo. Vuelva a guardar.

## Ayuda
help-intro = Teclas de esta pantalla y generales, según el mapa de teclas activo:
help-text-keys = En los campos de texto, las teclas escriben; Izquierda, Derecha, Inicio, Fin, Retroceso y Supr editan. En las notas, Enter empieza una línea nueva y Arriba/Abajo pasan de línea; Tab sale.

## Problemas del mapa de teclas al iniciar
keymap-problems = El archivo de mapa de teclas tiene problemas:
keymap-problems-choice = Enter: seguir con el mapa de teclas por defecto. F10: salir y corregir el archivo.

## Primer uso
setup-title = Aún no hay un almacén de linea aquí.
setup-from-kit = Configurar esta oficina con el kit de la central
setup-demo = Abrir la demostración (datos sintéticos, en una carpeta temporal)
setup-kit-intro = Indique el archivo del kit que envió la central, su nombre y una frase de contraseña (al menos 10 caracteres).
setup-kit-office = Oficina: { $office }
setup-fingerprint = Huella de la central: { $fingerprint }
setup-fingerprint-type = Escriba la huella que la central le lee por teléfono y pulse Enter. Si no la acepta, deténgase: el kit no es de su central.
setup-passphrase-short = La frase de contraseña es muy corta: use al menos 10 caracteres.
setup-passphrase-differ = Las dos frases no coinciden.
setup-working = Trabajando... esto tarda unos segundos.
setup-done = Oficina configurada. Lleve { $file } a la central para registrarla.
setup-fingerprint-wrong = Esa no es la huella de este kit: el kit no es de su central. No lo use; llame a la central.
setup-done-office = La oficina { $office } está configurada.
setup-office-fingerprint = Huella de la clave de su oficina: { $fingerprint }
setup-office-fingerprint-read = Léala a la central en esta misma llamada: la central la escribe para registrar su oficina. Luego lleve { $file } a la central. Enter abre la oficina.

## Registros rechazados
error-missing = Falta { $field } para poder guardar.
error-unknown-code = { $field }: "{ $detail }" no está en la lista; elija de ella.
error-personal-data = { $field }: una llamada no sustantiva no guarda datos personales; bórrelo.
error-future = { $field } está en el futuro; revise el reloj de la computadora.
error-before-call = { $field } es anterior al inicio de la llamada.
error-invalid = { $field } no es válido: { $detail }
template-title = Plantillas de llamada (número y Enter; Esc: formulario en blanco)
template-saved-at-once = { $template } (se guarda al instante)
template-saved = { $template }: guardada.
help-templates = Plantillas de llamada ({ $key }, luego el número y Enter):
home-templates = { $key }: plantillas (en silencio, se cortó, broma, equivocado, información…)

action-emergency-checklist = Lista
action-emergency-checklist-help = Durante una llamada U1: marcar lo que se verificó (ubicación, peligro ahora, puede hablar, menores), se guarda con la llamada
emergency-checklist = Verificado
check-LOCATION = Ubicación
check-DANGER_NOW = Peligro ahora
check-SAFE_TO_TALK = Puede hablar seguro
check-MINORS_PRESENT = Hay menores
