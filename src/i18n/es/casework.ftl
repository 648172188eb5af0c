# linea: casework messages (es).
action-new-referral = Derivar
action-new-referral-help = Derivar desde la llamada o el caso en pantalla
action-search = Buscar
action-search-help = Buscar en nombres y notas, sin importar tildes ni mayúsculas
action-stats = Estadísticas
action-stats-help = Las cifras de la oficina en un periodo
action-directory = Directorio
action-directory-help = Servicios a los que derivar, y qué decir a quien llama
action-follow-up = Seguimiento
action-follow-up-help = Derivaciones por seguir o vencidas
action-case = Caso
action-case-help = En una llamada: abrir su caso, o iniciar uno
action-add-person = Persona
action-add-person-help = Registrar a una persona en el caso (víctima, presunto tratante...)
