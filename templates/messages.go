package templates

import (
	"encoding/json"
	"fmt"
	"html/template"
	"slices"

	"declic/surveys/fr"
)

// The pupil pages' own words, by language: the questionnaire's texts are
// its own (surveys.Text); everything around them is here. A page speaks
// the form's language; a language missing here speaks French.
//
// Plain words for a 12-year-old: short sentences, "tu", no jargon.

// PageLanguages are the languages the pupil pages are written in.
var PageLanguages = []string{"fr", "pt", "en"}

// HasPageLanguage tells whether the pupil pages speak lang.
func HasPageLanguage(lang string) bool { return slices.Contains(PageLanguages, lang) }

var messages = map[string]map[string]string{
	"fr": {
		"colon":         " : ",
		"paper.sheet":   "Feuille n°",
		"paper.tick":    "Coche une seule case par question, comme ceci :",
		"paper.fix":     "Pour changer d'avis, noircis toute la case et coche la bonne.",
		"paper.several": "Tu peux cocher plusieurs cases.",
		"paper.write":   "Écris ta réponse ici, si tu veux.",
		"paper.month":   "Ton mois de naissance, en chiffres (mars = 3)",
		"paper.thanks":  "Merci ! Rends ta feuille à la personne qui anime l'atelier.",
		"phase.pre":     "Début de l'atelier",
		"phase.post":    "Fin de l'atelier",
		"langs":         "Langue",
		"bigger":        "Texte plus grand",
		"listen":        "Écouter",
		"listen.stop":   "Arrêter",

		"code.title":         "Ton code secret",
		"code.lead":          "D'abord, ton code secret. Il relie tes réponses du début et de la fin de l'atelier, sans ton nom. Personne ne peut le lire.",
		"code.help":          "Réponds pareil au début et à la fin de l'atelier.",
		"code.mere":          "La première lettre du prénom de ta mère (ou de la personne qui t'élève)",
		"code.jour":          "Ton jour de naissance",
		"code.mois":          "Ton mois de naissance",
		"code.lettre2":       "La deuxième lettre de ton prénom (pour « Léa », c'est E)",
		"code.short.mere":    "Lettre de ta mère",
		"code.short.jour":    "Jour de naissance",
		"code.short.mois":    "Mois de naissance",
		"code.short.lettre2": "Deuxième lettre de ton prénom",
		"code.readback":      "Ton code :",
		"code.continue":      "Continuer",
		"code.empty.letter":  "écris une lettre",
		"code.bad.letter":    "écris une seule lettre, sans chiffre ni signe (tu as écrit « %s »)",
		"code.empty.jour":    "choisis ton jour de naissance",
		"code.bad.jour":      "choisis un jour de 1 à 31 (tu as donné « %s »)",
		"code.bad.date":      "le %d %s n'existe pas : vérifie ton jour et ton mois de naissance",
		"code.empty.mois":    "choisis ton mois de naissance",
		"code.bad.mois":      "choisis un mois de janvier à décembre (tu as donné « %s »)",
		"code.forgotten":     "ton code secret a été oublié : réponds à nouveau aux quatre questions",
		"code.unreadable":    "ton code n'a pas pu être lu, réponds à nouveau",

		"errors.missing.one":  "%d réponse à compléter",
		"errors.missing.many": "%d réponses à compléter",
		"errors.wrong.one":    "%d réponse à corriger",
		"errors.wrong.many":   "%d réponses à corriger",
		"errors.mixed":        "%s et %d à compléter",
		"errors.send":         "Envoi",
		"errors.unreadable":   "tes réponses n'ont pas pu être lues, renvoie le formulaire",
		"errors.toolong":      "tes réponses sont trop longues, raccourcis les textes",
		"required":            "Réponse obligatoire",
		"question":            "Question %d",

		"form.lead":       "Pour tes avis, il n'y a pas de bonne ou de mauvaise réponse. On ne te demande jamais ton nom : personne ne saura que ce sont tes réponses.",
		"form.code":       "Ton code secret :",
		"form.notyours":   "Ce n'est pas ton code ? Le changer",
		"form.optional":   "(facultatif)",
		"form.retro":      "Pour finir : compare avant et aujourd'hui",
		"form.retro.help": "Pour chaque phrase, dis où tu en étais avant l'atelier, puis où tu en es aujourd'hui.",
		"form.before":     "Avant l'atelier",
		"form.now":        "Aujourd'hui",
		"form.youranswer": "Ta réponse",
		"form.send":       "Envoyer mes réponses",
		"js.offline":      "Pas de réseau : tes réponses sont gardées sur ce téléphone, on réessaie…",
		"js.server":       "Le serveur ne répond pas : tes réponses sont gardées sur ce téléphone, on réessaie…",
		"js.resend":       "Tes réponses gardées sur ce téléphone sont en cours d'envoi…",
		"js.busy":         "Beaucoup de réponses arrivent en même temps : tes réponses sont gardées sur ce téléphone, on les renvoie dans un instant…",

		"notice.label":   "Tes données",
		"notice.write":   "Une question sur tes données ? Écris à %s.",
		"notice.ask":     "Une question sur tes données ? Demande à la personne qui anime l'atelier.",
		"notice.default": "Ce questionnaire est anonyme : on ne te demande ni ton nom, ni ton adresse, et ton code secret est transformé pour que personne ne puisse le relire. On garde seulement tes réponses et le jour où tu les as données, pour mesurer ce que l'atelier a changé. Seule l'équipe de l'association qui anime l'atelier voit les réponses ; les résultats ne sont montrés qu'en chiffres d'ensemble.",

		"thanks.title":        "Merci !",
		"thanks.sent":         "Merci, c'est envoyé !",
		"thanks.saved":        "Tes réponses sont bien enregistrées.",
		"thanks.already":      "Tu as déjà répondu",
		"thanks.already.text": "Cet appareil a déjà envoyé ses réponses pour cette partie de l'atelier. Elles sont bien enregistrées.",
		"thanks.notyou":       "Ce n'est pas toi ? Réponds avec ton propre code secret",
		"thanks.pre":          "À la fin de l'atelier, tu répondras à nouveau à quelques questions, avec le même code QR.",
		"thanks.post":         "Merci d'avoir participé à l'atelier.",
		"thanks.borrowed":     "Tu as répondu sur un téléphone ou une tablette prêtée ?",
		"thanks.forget":       "Effacer mon code de cet appareil",

		"kiosk.banner":  "Tablette partagée : ton code n'est pas gardé. Personne après toi ne verra tes réponses.",
		"kiosk.next":    "Au suivant",
		"kiosk.pass":    "Passe la tablette à la personne suivante.",
		"kiosk.kept":    "Pas de réseau pour l'instant : tes réponses sont gardées sur cette tablette et partiront dès qu'il revient.",
		"kiosk.pending": "Réponses en attente d'envoi :",
		"kiosk.leave":   "Animateur ou animatrice : quitter le mode tablette",

		"closed.title":  "Questionnaire fermé",
		"closed.h1":     "Le questionnaire n'est pas ouvert",
		"closed.wait":   "S'il n'a pas encore commencé, attends que l'animateur ou l'animatrice l'ouvre, puis appuie sur le bouton.",
		"closed.done":   "Si l'atelier est fini et que tu as déjà répondu, tes réponses sont enregistrées : merci !",
		"retry":         "Réessayer",
		"closed.code":   "Code de l'atelier :",
		"closed.retype": "Code inconnu ? Vérifie le code affiché au tableau et tape-le ici :",

		"unknown.title": "Atelier introuvable",
		"unknown.h1":    "Code inconnu",
		"unknown.none":  "Aucun atelier n'a ce code :",
		"unknown.check": "Vérifie le code affiché au tableau.",
		"join.h1":       "Rejoindre un atelier",
		"join.type":     "Tape le code affiché au tableau.",
		"join.label":    "Code de l'atelier",

		"down.title":    "Service indisponible",
		"down.h1":       "Un petit souci, réessaie dans un instant",
		"down.kept":     "Le service ne répond pas pour le moment : tes réponses ne sont pas encore enregistrées, mais elles sont gardées sur cette page.",
		"down.kept.tap": "Attends quelques secondes, puis appuie sur le bouton. Tu peux appuyer plusieurs fois : elles ne seront enregistrées qu'une fois.",
		"down.resend":   "Renvoyer mes réponses",
		"down.lost":     "Le service ne répond pas pour le moment. Si tu n'as pas vu la page « Merci », tes réponses ne sont pas encore enregistrées.",
		"down.lost.tap": "Attends quelques secondes, puis réessaie : si ton navigateur te propose de renvoyer le formulaire, accepte.",
		"busy.title":    "Beaucoup de réponses en même temps",
		"busy.h1":       "Beaucoup de réponses arrivent en même temps",
		"busy.kept":     "Le service reçoit trop de réponses d'un coup : les tiennes ne sont pas encore enregistrées, mais elles sont gardées sur cette page.",
		"busy.kept.tap": "Attends %s, puis appuie sur le bouton. Tu peux appuyer plusieurs fois : elles ne seront enregistrées qu'une fois.",
		"busy.lost":     "Le service reçoit trop de demandes d'un coup. Attends %s, puis réessaie.",
		"wait.s.one":    "%d seconde",
		"wait.s.many":   "%d secondes",
		"wait.m.one":    "%d minute",
		"wait.m.many":   "%d minutes",
	},
	"pt": {
		"colon":         ": ",
		"paper.sheet":   "Folha n.º",
		"paper.tick":    "Marca só uma quadrícula por pergunta, assim:",
		"paper.fix":     "Para mudares de ideia, pinta a quadrícula toda e marca a certa.",
		"paper.several": "Podes marcar várias quadrículas.",
		"paper.write":   "Escreve aqui a tua resposta, se quiseres.",
		"paper.month":   "O teu mês de nascimento, em números (março = 3)",
		"paper.thanks":  "Obrigado! Entrega a tua folha à pessoa que anima a oficina.",
		"phase.pre":     "Início da oficina",
		"phase.post":    "Fim da oficina",
		"langs":         "Língua",
		"bigger":        "Letra maior",
		"listen":        "Ouvir",
		"listen.stop":   "Parar",

		"code.title":         "O teu código secreto",
		"code.lead":          "Primeiro, o teu código secreto. Ele liga as tuas respostas do início e do fim da oficina, sem o teu nome. Ninguém o pode ler.",
		"code.help":          "Responde igual no início e no fim da oficina.",
		"code.mere":          "A primeira letra do nome da tua mãe (ou da pessoa que cuida de ti)",
		"code.jour":          "O teu dia de nascimento",
		"code.mois":          "O teu mês de nascimento",
		"code.lettre2":       "A segunda letra do teu nome (para «Ana», é N)",
		"code.short.mere":    "Letra da tua mãe",
		"code.short.jour":    "Dia de nascimento",
		"code.short.mois":    "Mês de nascimento",
		"code.short.lettre2": "Segunda letra do teu nome",
		"code.readback":      "O teu código:",
		"code.continue":      "Continuar",
		"code.empty.letter":  "escreve uma letra",
		"code.bad.letter":    "escreve só uma letra, sem números nem sinais (escreveste «%s»)",
		"code.empty.jour":    "escolhe o teu dia de nascimento",
		"code.bad.jour":      "escolhe um dia de 1 a 31 (deste «%s»)",
		"code.bad.date":      "o dia %d de %s não existe: verifica o teu dia e mês de nascimento",
		"code.empty.mois":    "escolhe o teu mês de nascimento",
		"code.bad.mois":      "escolhe um mês de janeiro a dezembro (deste «%s»)",
		"code.forgotten":     "o teu código secreto foi esquecido: responde outra vez às quatro perguntas",
		"code.unreadable":    "não foi possível ler o teu código, responde outra vez",

		"errors.missing.one":  "%d resposta por completar",
		"errors.missing.many": "%d respostas por completar",
		"errors.wrong.one":    "%d resposta a corrigir",
		"errors.wrong.many":   "%d respostas a corrigir",
		"errors.mixed":        "%s e %d por completar",
		"errors.send":         "Envio",
		"errors.unreadable":   "não foi possível ler as tuas respostas, envia o formulário outra vez",
		"errors.toolong":      "as tuas respostas são demasiado longas, encurta os textos",
		"required":            "Resposta obrigatória",
		"question":            "Pergunta %d",

		"form.lead":       "Sobre as tuas opiniões, não há respostas certas nem erradas. Nunca te pedimos o nome: ninguém vai saber que estas respostas são tuas.",
		"form.code":       "O teu código secreto:",
		"form.notyours":   "Não é o teu código? Mudar",
		"form.optional":   "(opcional)",
		"form.retro":      "Para terminar: compara antes e hoje",
		"form.retro.help": "Para cada frase, diz como estavas antes da oficina e depois como estás hoje.",
		"form.before":     "Antes da oficina",
		"form.now":        "Hoje",
		"form.youranswer": "A tua resposta",
		"form.send":       "Enviar as minhas respostas",
		"js.offline":      "Sem rede: as tuas respostas ficam guardadas neste telefone, vamos tentar outra vez…",
		"js.server":       "O servidor não responde: as tuas respostas ficam guardadas neste telefone, vamos tentar outra vez…",
		"js.resend":       "As respostas guardadas neste telefone estão a ser enviadas…",
		"js.busy":         "Estão a chegar muitas respostas ao mesmo tempo: as tuas ficam guardadas neste telefone, vamos enviá-las daqui a pouco…",

		"notice.label":   "Os teus dados",
		"notice.write":   "Uma pergunta sobre os teus dados? Escreve para %s.",
		"notice.ask":     "Uma pergunta sobre os teus dados? Pergunta à pessoa que anima a oficina.",
		"notice.default": "Este questionário é anónimo: não te pedimos o nome nem a morada, e o teu código secreto é transformado para que ninguém o possa ler. Guardamos só as tuas respostas e o dia em que as deste, para medir o que a oficina mudou. Só a equipa da associação que anima a oficina vê as respostas; os resultados só são mostrados em números de conjunto.",

		"thanks.title":        "Obrigado!",
		"thanks.sent":         "Obrigado, está enviado!",
		"thanks.saved":        "As tuas respostas estão guardadas.",
		"thanks.already":      "Já respondeste",
		"thanks.already.text": "Este aparelho já enviou as respostas desta parte da oficina. Estão guardadas.",
		"thanks.notyou":       "Não és tu? Responde com o teu próprio código secreto",
		"thanks.pre":          "No fim da oficina, vais responder outra vez a algumas perguntas, com o mesmo código QR.",
		"thanks.post":         "Obrigado por teres participado na oficina.",
		"thanks.borrowed":     "Respondeste num telefone ou tablet emprestado?",
		"thanks.forget":       "Apagar o meu código deste aparelho",

		"kiosk.banner":  "Tablet partilhado: o teu código não fica guardado. Ninguém depois de ti vai ver as tuas respostas.",
		"kiosk.next":    "Próxima pessoa",
		"kiosk.pass":    "Passa o tablet à pessoa seguinte.",
		"kiosk.kept":    "Sem rede por agora: as tuas respostas ficam guardadas neste tablet e serão enviadas quando a rede voltar.",
		"kiosk.pending": "Respostas à espera de envio:",
		"kiosk.leave":   "Animador ou animadora: sair do modo tablet",

		"closed.title":  "Questionário fechado",
		"closed.h1":     "O questionário não está aberto",
		"closed.wait":   "Se ainda não começou, espera que o animador ou a animadora o abra e depois toca no botão.",
		"closed.done":   "Se a oficina já acabou e já respondeste, as tuas respostas estão guardadas: obrigado!",
		"retry":         "Tentar outra vez",
		"closed.code":   "Código da oficina:",
		"closed.retype": "Código desconhecido? Verifica o código mostrado no quadro e escreve-o aqui:",

		"unknown.title": "Oficina não encontrada",
		"unknown.h1":    "Código desconhecido",
		"unknown.none":  "Nenhuma oficina tem este código:",
		"unknown.check": "Verifica o código mostrado no quadro.",
		"join.h1":       "Entrar numa oficina",
		"join.type":     "Escreve o código mostrado no quadro.",
		"join.label":    "Código da oficina",

		"down.title":    "Serviço indisponível",
		"down.h1":       "Um pequeno problema, tenta outra vez daqui a pouco",
		"down.kept":     "O serviço não responde neste momento: as tuas respostas ainda não estão guardadas, mas ficam nesta página.",
		"down.kept.tap": "Espera alguns segundos e depois toca no botão. Podes tocar várias vezes: só serão guardadas uma vez.",
		"down.resend":   "Enviar outra vez as minhas respostas",
		"down.lost":     "O serviço não responde neste momento. Se não viste a página «Obrigado», as tuas respostas ainda não estão guardadas.",
		"down.lost.tap": "Espera alguns segundos e tenta outra vez: se o navegador propuser enviar o formulário de novo, aceita.",
		"busy.title":    "Muitas respostas ao mesmo tempo",
		"busy.h1":       "Estão a chegar muitas respostas ao mesmo tempo",
		"busy.kept":     "O serviço está a receber demasiadas respostas de uma vez: as tuas ainda não estão guardadas, mas ficam nesta página.",
		"busy.kept.tap": "Espera %s e depois toca no botão. Podes tocar várias vezes: só serão guardadas uma vez.",
		"busy.lost":     "O serviço está a receber demasiados pedidos de uma vez. Espera %s e tenta outra vez.",
		"wait.s.one":    "%d segundo",
		"wait.s.many":   "%d segundos",
		"wait.m.one":    "%d minuto",
		"wait.m.many":   "%d minutos",
	},
	"en": {
		"colon":         ": ",
		"paper.sheet":   "Sheet no.",
		"paper.tick":    "Tick one box per question, like this:",
		"paper.fix":     "To change your mind, fill in the whole box and tick the right one.",
		"paper.several": "You can tick several boxes.",
		"paper.write":   "Write your answer here, if you want.",
		"paper.month":   "Your month of birth, as a number (March = 3)",
		"paper.thanks":  "Thank you! Give your sheet back to the workshop leader.",
		"phase.pre":     "Start of the workshop",
		"phase.post":    "End of the workshop",
		"langs":         "Language",
		"bigger":        "Larger text",
		"listen":        "Listen",
		"listen.stop":   "Stop",

		"code.title":         "Your secret code",
		"code.lead":          "First, your secret code. It links your answers from the start and the end of the workshop, without your name. Nobody can read it.",
		"code.help":          "Answer the same way at the start and at the end of the workshop.",
		"code.mere":          "The first letter of your mother's first name (or of the person who raises you)",
		"code.jour":          "Your day of birth",
		"code.mois":          "Your month of birth",
		"code.lettre2":       "The second letter of your first name (for “Sam”, it is A)",
		"code.short.mere":    "Your mother's letter",
		"code.short.jour":    "Day of birth",
		"code.short.mois":    "Month of birth",
		"code.short.lettre2": "Second letter of your first name",
		"code.readback":      "Your code:",
		"code.continue":      "Continue",
		"code.empty.letter":  "write one letter",
		"code.bad.letter":    "write one letter only, no number or sign (you wrote “%s”)",
		"code.empty.jour":    "pick your day of birth",
		"code.bad.jour":      "pick a day from 1 to 31 (you gave “%s”)",
		"code.bad.date":      "there is no %[2]s %[1]d: check your day and month of birth",
		"code.empty.mois":    "pick your month of birth",
		"code.bad.mois":      "pick a month from January to December (you gave “%s”)",
		"code.forgotten":     "your secret code was forgotten: answer the four questions again",
		"code.unreadable":    "your code could not be read, answer again",

		"errors.missing.one":  "%d answer to complete",
		"errors.missing.many": "%d answers to complete",
		"errors.wrong.one":    "%d answer to correct",
		"errors.wrong.many":   "%d answers to correct",
		"errors.mixed":        "%s and %d to complete",
		"errors.send":         "Sending",
		"errors.unreadable":   "your answers could not be read, send the form again",
		"errors.toolong":      "your answers are too long, make the texts shorter",
		"required":            "Answer needed",
		"question":            "Question %d",

		"form.lead":       "About your opinions, there is no right or wrong answer. We never ask your name: nobody will know these answers are yours.",
		"form.code":       "Your secret code:",
		"form.notyours":   "Not your code? Change it",
		"form.optional":   "(optional)",
		"form.retro":      "To finish: compare before and today",
		"form.retro.help": "For each sentence, say where you were before the workshop, then where you are today.",
		"form.before":     "Before the workshop",
		"form.now":        "Today",
		"form.youranswer": "Your answer",
		"form.send":       "Send my answers",
		"js.offline":      "No network: your answers are kept on this phone, trying again…",
		"js.server":       "The server is not answering: your answers are kept on this phone, trying again…",
		"js.resend":       "The answers kept on this phone are being sent…",
		"js.busy":         "Many answers are arriving at once: yours are kept on this phone and will be sent again in a moment…",

		"notice.label":   "Your data",
		"notice.write":   "A question about your data? Write to %s.",
		"notice.ask":     "A question about your data? Ask the person running the workshop.",
		"notice.default": "This questionnaire is anonymous: we never ask your name or your address, and your secret code is transformed so that nobody can read it. We keep only your answers and the day you gave them, to measure what the workshop changed. Only the team of the organisation running the workshop sees the answers; results are only shown as overall figures.",

		"thanks.title":        "Thank you!",
		"thanks.sent":         "Thank you, it's sent!",
		"thanks.saved":        "Your answers are saved.",
		"thanks.already":      "You have already answered",
		"thanks.already.text": "This device has already sent its answers for this part of the workshop. They are saved.",
		"thanks.notyou":       "Not you? Answer with your own secret code",
		"thanks.pre":          "At the end of the workshop, you will answer a few questions again, with the same QR code.",
		"thanks.post":         "Thank you for taking part in the workshop.",
		"thanks.borrowed":     "Did you answer on a borrowed phone or tablet?",
		"thanks.forget":       "Erase my code from this device",

		"kiosk.banner":  "Shared tablet: your code is not kept. Nobody after you will see your answers.",
		"kiosk.next":    "Next person",
		"kiosk.pass":    "Hand the tablet to the next person.",
		"kiosk.kept":    "No network for now: your answers are kept on this tablet and will be sent as soon as it is back.",
		"kiosk.pending": "Answers waiting to be sent:",
		"kiosk.leave":   "Workshop leader: leave tablet mode",

		"closed.title":  "Questionnaire closed",
		"closed.h1":     "The questionnaire is not open",
		"closed.wait":   "If it has not started yet, wait until the workshop leader opens it, then tap the button.",
		"closed.done":   "If the workshop is over and you have already answered, your answers are saved: thank you!",
		"retry":         "Try again",
		"closed.code":   "Workshop code:",
		"closed.retype": "Unknown code? Check the code shown on the board and type it here:",

		"unknown.title": "Workshop not found",
		"unknown.h1":    "Unknown code",
		"unknown.none":  "No workshop has this code:",
		"unknown.check": "Check the code shown on the board.",
		"join.h1":       "Join a workshop",
		"join.type":     "Type the code shown on the board.",
		"join.label":    "Workshop code",

		"down.title":    "Service unavailable",
		"down.h1":       "A small problem, try again in a moment",
		"down.kept":     "The service is not answering right now: your answers are not saved yet, but they are kept on this page.",
		"down.kept.tap": "Wait a few seconds, then tap the button. You can tap several times: they will be saved only once.",
		"down.resend":   "Send my answers again",
		"down.lost":     "The service is not answering right now. If you did not see the “Thank you” page, your answers are not saved yet.",
		"down.lost.tap": "Wait a few seconds, then try again: if your browser offers to send the form again, accept.",
		"busy.title":    "Many answers at once",
		"busy.h1":       "Many answers are arriving at once",
		"busy.kept":     "The service is getting too many answers at once: yours are not saved yet, but they are kept on this page.",
		"busy.kept.tap": "Wait %s, then tap the button. You can tap several times: they will be saved only once.",
		"busy.lost":     "The service is getting too many requests at once. Wait %s, then try again.",
		"wait.s.one":    "%d second",
		"wait.s.many":   "%d seconds",
		"wait.m.one":    "%d minute",
		"wait.m.many":   "%d minutes",
	},
}

var monthsByLang = map[string][]string{
	"fr": fr.Months(),
	"pt": {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// T is the pupil pages' message key in lang, French when lang has none.
// Extra arguments fill the message's %s and %d.
func T(lang, key string, args ...any) string {
	m, ok := messages[lang][key]
	if !ok {
		m, ok = messages["fr"][key]
	}
	if !ok {
		return key // a missing key shows, and TestMessages catches it
	}
	if len(args) > 0 {
		return fmt.Sprintf(m, args...)
	}
	return m
}

// TN is T for a count: key.one for 1, key.many otherwise.
func TN(lang, key string, n int) string {
	if n == 1 {
		return T(lang, key+".one", n)
	}
	return T(lang, key+".many", n)
}

// MonthNameIn is month m (1-12) in lang, French when lang has none.
func MonthNameIn(lang string, m int) string {
	if m < 1 || m > 12 {
		return ""
	}
	names, ok := monthsByLang[lang]
	if !ok {
		names = monthsByLang["fr"]
	}
	return names[m-1]
}

func monthNamesIn(lang string) []string {
	names, ok := monthsByLang[lang]
	if !ok {
		names = monthsByLang["fr"]
	}
	return names
}

// jsKeys are the messages pupil.js shows, handed to it in the page.
var jsKeys = []string{"listen", "listen.stop", "js.offline", "js.server", "js.resend", "js.busy", "code.readback", "kiosk.kept", "kiosk.pending", "kiosk.next", "kiosk.pass"}

// jsMessages is the JSON object of pupil.js's messages in lang.
func jsMessages(lang string) string {
	m := make(map[string]string, len(jsKeys))
	for _, k := range jsKeys {
		m[k] = T(lang, k)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// wordFuncs give pages the messages: {{t .Lang "code.title"}},
// {{tn .Lang "errors.missing" 3}}, {{monthNamesIn .Lang}}.
var wordFuncs = template.FuncMap{"t": pageT, "tn": pageTN, "monthNamesIn": monthNamesIn, "jsMessages": jsMessages}

// pageT is T for a page: the catalogue is trusted text, so its apostrophes
// stay as they are; what fills it (a typed code, a contact) is escaped.
func pageT(lang, key string, args ...any) template.HTML {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = template.HTMLEscapeString(s)
		}
	}
	return template.HTML(T(lang, key, args...))
}

func pageTN(lang, key string, n int) template.HTML { return template.HTML(TN(lang, key, n)) }

// WaitIn is a wait of secs seconds in lang's words: « 30 secondes »,
// « 2 minutes ».
func WaitIn(lang string, secs int) string {
	switch {
	case secs < 1:
		return TN(lang, "wait.s", 1)
	case secs < 60:
		return TN(lang, "wait.s", secs)
	}
	return TN(lang, "wait.m", (secs+59)/60)
}
