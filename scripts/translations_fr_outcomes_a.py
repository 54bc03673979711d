"""French translations of the graduate-outcomes, talent-pool and job-fair strings (part A)."""

FR_A = {
    "Please confirm a hire: %(learner)s": "Merci de confirmer un recrutement : %(learner)s",
    (
        "%(learner)s (%(cohort)s) reports working at %(company)s as %(title)s since "
        "%(start)s. Please confirm the job, correcting the figures if needed."
    ): (
        "%(learner)s (%(cohort)s) déclare travailler chez %(company)s comme %(title)s depuis "
        "le %(start)s. Merci de confirmer l'emploi, en corrigeant les chiffres si nécessaire."
    ),
    "%(company)s corrected and confirmed your job": (
        "%(company)s a corrigé et confirmé votre emploi"
    ),
    "%(company)s confirmed your job": "%(company)s a confirmé votre emploi",
    (
        "Your job as %(title)s at %(company)s is now confirmed by the employer. See the "
        "figures they recorded."
    ): (
        "Votre emploi de %(title)s chez %(company)s est désormais confirmé par l'employeur. "
        "Consultez les chiffres qu'il a enregistrés."
    ),
    "What are you doing now? (%(days)d days after the bootcamp)": (
        "Que faites-vous aujourd'hui ? (%(days)d jours après le bootcamp)"
    ),
    (
        "Your cohort %(cohort)s ended on %(ended)s. Tell us your situation today: a job, "
        "still looking, or something else. It takes two minutes and helps the next learners."
    ): (
        "Votre cohorte %(cohort)s s'est terminée le %(ended)s. Dites-nous où vous en êtes "
        "aujourd'hui : un emploi, encore en recherche, ou autre chose. Cela prend deux "
        "minutes et aide les prochain·es apprenant·es."
    ),
    "ICT services manager": "Directeur·rice des services TIC",
    "Mathematician, actuary or statistician": "Mathématicien·ne, actuaire ou statisticien·ne",
    "Graphic and multimedia designer": "Concepteur·rice graphique et multimédia",
    "Management and organisation analyst": "Analyste de la gestion et de l'organisation",
    "Systems analyst": "Analyste de systèmes",
    "Software developer": "Concepteur·rice de logiciels",
    "Web and multimedia developer": "Concepteur·rice de sites Internet et de multimédia",
    "Applications programmer": "Programmeur·se d'applications",
    "Software and applications developer n.e.c. (tester, data scientist)": (
        "Concepteur·rice ou analyste de logiciels non classé·e ailleurs (testeur·se, data "
        "scientist)"
    ),
    "Database designer or administrator": (
        "Concepteur·rice ou administrateur·rice de bases de données"
    ),
    "Systems administrator": "Administrateur·rice de systèmes",
    "Computer network professional": "Spécialiste des réseaux d'ordinateurs",
    "Database and network professional n.e.c. (security analyst)": (
        "Spécialiste des bases de données et des réseaux non classé·e ailleurs (analyste sécurité)"
    ),
    "ICT operations technician": "Technicien·ne de l'exploitation des TIC",
    "ICT user support technician": "Technicien·ne de l'assistance aux utilisateur·rices des TIC",
    "Computer network and systems technician": (
        "Technicien·ne des réseaux et des systèmes d'ordinateurs"
    ),
    "Web technician": "Technicien·ne de l'Internet",
    "Data entry clerk": "Opérateur·rice de saisie de données",
    "Contact centre information clerk": "Employé·e de centre d'appels",
    "Shop sales assistant": "Vendeur·se en magasin",
    "Other manager": "Autre directeur·rice ou cadre de direction",
    "Other professional": "Autre profession intellectuelle et scientifique",
    "Other technician or associate professional": "Autre profession intermédiaire",
    "Other clerical support worker": "Autre employé·e de type administratif",
    "Other service or sales worker": "Autre personnel des services ou de la vente",
    "Craft or trade worker": "Métier qualifié de l'industrie ou de l'artisanat",
    "Plant or machine operator": "Conducteur·rice d'installations ou de machines",
    "Elementary occupation": "Profession élémentaire",
    "You can only state your own intent.": "Vous ne pouvez déclarer que votre propre intention.",
    "The intent was already recorded and cannot change.": (
        "L'intention est déjà enregistrée et ne peut plus changer."
    ),
    "Intent can only be recorded in the first two weeks of the cohort.": (
        "L'intention ne peut être enregistrée que pendant les deux premières semaines de la "
        "cohorte."
    ),
    "A learner cannot graduate before the cohort starts.": (
        "Un·e apprenant·e ne peut pas être diplômé·e avant le début de la cohorte."
    ),
    "A graduation date cannot be in the future.": (
        "Une date d'obtention du diplôme ne peut pas être dans le futur."
    ),
    "A job is recorded with its details.": "Un emploi s'enregistre avec ses détails.",
    "A company can only record or confirm a job at the company.": (
        "Une entreprise ne peut enregistrer ou confirmer qu'un emploi en son sein."
    ),
    "A situation cannot start in the future.": "Une situation ne peut pas commencer dans le futur.",
    "A situation cannot start before the cohort did.": (
        "Une situation ne peut pas commencer avant la cohorte."
    ),
    "An exclusion, and only an exclusion, needs a reason.": (
        "Une exclusion, et seulement une exclusion, demande un motif."
    ),
    "Only learners, companies and the programme record outcomes.": (
        "Seul·es les apprenant·es, les entreprises et le programme enregistrent le devenir "
        "des diplômé·es."
    ),
    "You can only report your own situation.": (
        "Vous ne pouvez déclarer que votre propre situation."
    ),
    "That record belongs to another enrolment.": (
        "Cet enregistrement appartient à une autre inscription."
    ),
    "That record was already replaced; reload the page.": (
        "Cet enregistrement a déjà été remplacé ; rechargez la page."
    ),
    "A confirmed record can only be changed by the employer or the programme.": (
        "Un enregistrement confirmé ne peut être modifié que par l'employeur ou le programme."
    ),
    "You can only confirm jobs at your own company.": (
        "Vous ne pouvez confirmer que des emplois dans votre propre entreprise."
    ),
    "Your account belongs to no company.": "Votre compte n'est rattaché à aucune entreprise.",
    "Give the employer and the job title (200 characters at most).": (
        "Indiquez l'employeur et l'intitulé du poste (200 caractères au maximum)."
    ),
    "Choose an occupation from the list.": "Choisissez une profession dans la liste.",
    "A job held before the bootcamp started is not a placement.": (
        "Un emploi occupé avant le début du bootcamp n'est pas une insertion."
    ),
    "A job cannot start more than six months from now.": (
        "Un emploi ne peut pas commencer dans plus de six mois."
    ),
    "A job cannot end before it starts.": (
        "Un emploi ne peut pas se terminer avant d'avoir commencé."
    ),
    "Weekly hours must be between 1 and 80.": (
        "Les heures hebdomadaires doivent être comprises entre 1 et 80."
    ),
    "Monthly pay must be between 0 and 1,000,000 MAD.": (
        "Le salaire mensuel doit être compris entre 0 et 1 000 000 MAD."
    ),
    "A founder works on their own account.": "Un·e fondateur·rice travaille à son compte.",
    "Choose the employer from the list of partner companies.": (
        "Choisissez l'employeur dans la liste des entreprises partenaires."
    ),
    "Choose a project brief of that company that the learner's cohort took.": (
        "Choisissez un cahier des charges de cette entreprise réalisé par la cohorte de "
        "l'apprenant·e."
    ),
    "The note is too long (2,000 characters at most).": (
        "La note est trop longue (2 000 caractères au maximum)."
    ),
    "Full-time employee": "Salarié·e à temps plein",
    "Full-time apprenticeship, internship or contract": (
        "Apprentissage, stage ou contrat à temps plein"
    ),
    "Hired by the training operator": "Recruté·e par l'opérateur de formation",
    "Started a company": "A créé son entreprise",
    "Short-term, part-time or freelance": "Contrat court, temps partiel ou indépendant",
    "Hired out of field": "Recruté·e hors du domaine",
    "Still seeking": "Encore en recherche",
    "Not seeking": "Pas en recherche",
    "Not reporting": "Sans réponse",
    "Excluded": "Exclu·e",
    "Programme-wide": "Tout le programme",
    "Enrolled": "Inscrit·es",
    "Graduated": "Diplômé·es",
    "Graduated on time": "Diplômé·es dans les délais",
    "Certified": "Certifié·es",
    "Sought an in-field job": "Ont cherché un emploi dans le domaine",
    "In-field job": "Emploi dans le domaine",
    "Decent in-field job": "Emploi décent dans le domaine",
    "Retention measured at 6 months": "Maintien dans l'emploi mesuré à 6 mois",
    "Retention measured at 12 months": "Maintien dans l'emploi mesuré à 12 mois",
    "Self-reported": "Déclaration de l'apprenant·e",
    "Employer": "Employeur",
    "Third party": "Tiers",
    "Say which group: the key parameter is missing.": (
        "Précisez le groupe : le paramètre key est manquant."
    ),
    "There is no outcome category %(name)s.": "Il n'existe pas de catégorie d'insertion %(name)s.",
    "There is no figure %(name)s.": "Il n'existe pas d'indicateur %(name)s.",
    "The window must be 90 or 180 (days after the cohort ended).": (
        "L'échéance doit être de 90 ou 180 (jours après la fin de la cohorte)."
    ),
    "Group by one of: %(choices)s.": "Regroupez selon l'un des critères suivants : %(choices)s.",
    "The report date must be a date written YYYY-MM-DD.": (
        "La date du rapport doit être une date au format AAAA-MM-JJ."
    ),
    "The report date cannot be in the future.": (
        "La date du rapport ne peut pas être dans le futur."
    ),
    "Nothing is recorded yet: report your situation first.": (
        "Rien n'est encore enregistré : déclarez d'abord votre situation."
    ),
    "Only learners have a job fair profile.": (
        "Seul·es les apprenant·es ont un profil pour le forum de l'emploi."
    ),
    "The headline is too long (200 characters at most).": (
        "Le titre est trop long (200 caractères au maximum)."
    ),
    "The presentation is too long (2,000 characters at most).": (
        "La présentation est trop longue (2 000 caractères au maximum)."
    ),
    "Choose how your name shows: in full or as initials.": (
        "Choisissez l'affichage de votre nom : en entier ou en initiales."
    ),
    "Say when, where and for which role you invite the learner.": (
        "Précisez quand, où et pour quel poste vous invitez l'apprenant·e."
    ),
    "The invitation is too long (2,000 characters at most).": (
        "L'invitation est trop longue (2 000 caractères au maximum)."
    ),
    "This learner declined your invitation; they cannot be asked again.": (
        "Cet·te apprenant·e a décliné votre invitation ; vous ne pouvez plus l'inviter."
    ),
    "This learner was already invited.": "Cet·te apprenant·e a déjà été invité·e.",
    "%(company)s invites you to an interview": "%(company)s vous invite à un entretien",
    "This invitation is not yours.": "Cette invitation ne vous est pas destinée.",
    "%(name)s accepted your invitation": "%(name)s a accepté votre invitation",
    "%(name)s declined your invitation": "%(name)s a décliné votre invitation",
    "%(name)s accepted your invitation. You can write to them at %(email)s.": (
        "%(name)s a accepté votre invitation. Vous pouvez lui écrire à %(email)s."
    ),
    "%(name)s declined your invitation.": "%(name)s a décliné votre invitation.",
    "Only an open invitation can be accepted.": (
        "Seule une invitation en attente peut être acceptée."
    ),
    "Make your profile visible to accept an invitation.": (
        "Rendez votre profil visible pour accepter une invitation."
    ),
    "Only an open or accepted invitation can be declined.": (
        "Seule une invitation en attente ou acceptée peut être déclinée."
    ),
    "Your company has not invited this learner.": (
        "Votre entreprise n'a pas invité cet·te apprenant·e."
    ),
    "A hire is recorded after the learner accepted your invitation.": (
        "Un recrutement s'enregistre une fois que l'apprenant·e a accepté votre invitation."
    ),
    "This learner is enrolled in no cohort.": (
        "Cet·te apprenant·e n'est inscrit·e dans aucune cohorte."
    ),
    "%(company)s recorded your hire": "%(company)s a enregistré votre recrutement",
    (
        "%(company)s recorded that you work there as %(title)s from %(date)s. It is now in "
        "your placement record."
    ): (
        "%(company)s a enregistré que vous y travaillez comme %(title)s à partir du %(date)s. "
        "Cela figure désormais dans votre suivi d'insertion."
    ),
    "No such invitation.": "Invitation introuvable.",
    "This profile is not in the talent pool.": "Ce profil ne figure pas dans le vivier de talents.",
    "Only a partner company's users use the talent pool.": (
        "Seul·es les utilisateur·rices d'une entreprise partenaire ont accès au vivier de talents."
    ),
    "interested": "intéressé·e",
    "invited": "invité·e",
    "accepted": "a accepté",
    "declined": "a décliné",
    "hired": "recruté·e",
    "Permanent contract": "Contrat à durée indéterminée (CDI)",
    "Fixed-term contract": "Contrat à durée déterminée (CDD)",
    "Casual work": "Travail occasionnel",
    "Apprenticeship or internship": "Apprentissage ou stage",
    "Dependent contractor": "Entrepreneur·e dépendant·e",
    "Own account (freelance)": "À son compte (indépendant·e)",
    "Your profile is saved.": "Votre profil est enregistré.",
    "Your answer is sent to the company.": "Votre réponse a été envoyée à l'entreprise.",
    "The hire is recorded in the learner's placements.": (
        "Le recrutement est enregistré dans les insertions de l'apprenant·e."
    ),
    "Saved.": "Enregistré.",
    "Check the contract, the dates (YYYY-MM-DD) and the whole numbers.": (
        "Vérifiez le contrat, les dates (AAAA-MM-JJ) et les nombres entiers."
    ),
    "Permanent employee": "Salarié·e permanent·e",
    "Fixed-term employee": "Salarié·e à durée déterminée",
    "Casual or short-term worker": "Travailleur·se occasionnel·le ou de courte durée",
    "Apprentice or intern": "Apprenti·e ou stagiaire",
    "Own account (freelance, own company)": "À son compte (indépendant·e, propre entreprise)",
    "Working": "En emploi",
    "Looking for a job": "En recherche d'emploi",
    "Not looking for a job": "Pas en recherche d'emploi",
    "Excluded from the figures": "Exclu·e des statistiques",
    "Further studies": "Poursuite d'études",
    "Health": "Santé",
    "Military service": "Service militaire",
    "Deceased": "Décédé·e",
    "Emigrated": "Émigré·e",
    "reported by the learner": "déclaré par l'apprenant·e",
    "confirmed by the employer": "confirmé par l'employeur",
    "documented by the programme": "documenté par le programme",
    "Answer yes or no.": "Répondez par oui ou par non.",
    "Thank you: your answer is recorded.": "Merci : votre réponse est enregistrée.",
    "Thank you: your situation is up to date.": "Merci : votre situation est à jour.",
    "Thank you: your job is recorded.": "Merci : votre emploi est enregistré.",
    "Thank you: the job is confirmed.": "Merci : l'emploi est confirmé.",
    "Graduation of %(name)s saved.": "Diplôme de %(name)s enregistré.",
    "The record is saved.": "L'enregistrement est sauvegardé.",
    "Choose a situation.": "Choisissez une situation.",
    "Choose a reason.": "Choisissez un motif.",
    "Thank you: the situation is recorded.": "Merci : la situation est enregistrée.",
    "Choose an employment status.": "Choisissez un statut d'emploi.",
    "Give the date (YYYY-MM-DD).": "Indiquez la date (AAAA-MM-JJ).",
    "Hours and pay are written as whole numbers.": (
        "Les heures et le salaire s'écrivent en nombres entiers."
    ),
    "Outcomes": "Insertion professionnelle",
    "Talent pool": "Vivier de talents",
    "Hires": "Recrutements",
    "After the bootcamp": "Après le bootcamp",
    "Job fair profile": "Profil pour le forum de l'emploi",
    "It has been %(days)s days since your cohort ended: tell us what you are doing now.": (
        "Votre cohorte s'est terminée il y a %(days)s jours : dites-nous ce que vous faites "
        "aujourd'hui."
    ),
    "One question before you start: will you look for a job in this field after the bootcamp?": (
        "Une question avant de commencer : chercherez-vous un emploi dans ce domaine après le "
        "bootcamp ?"
    ),
    "Answer": "Répondre",
    "Don't know": "Je ne sais pas",
    "Yes": "Oui",
    "No": "Non",
    "Partner company": "Entreprise partenaire",
    "Another employer (type its name below)": "Autre employeur (saisissez son nom ci-dessous)",
    "Employer's name, if not in the list": "Nom de l'employeur, s'il ne figure pas dans la liste",
    "Came through a project brief": "Obtenu grâce à un cahier des charges",
    "The job": "L'emploi",
    "Job title": "Intitulé du poste",
    "Occupation": "Profession",
    "Choose…": "Choisir…",
    "Employment status": "Statut d'emploi",
    "I founded this company (own account only)": (
        "J'ai fondé cette entreprise (travail à son compte uniquement)"
    ),
    "The learner founded this company": "L'apprenant·e a fondé cette entreprise",
    "Written contract": "Contrat écrit",
    "Hours a week": "Heures par semaine",
    "Monthly base pay (MAD, before bonuses)": "Salaire mensuel de base (MAD, hors primes)",
}
