"""French translations of the placement-outcomes, graduation and talent-pool strings (part B).

Merged into the French catalogue alongside scripts/translations_fr.py.
"""

FR_B = {
    "Declared to the CNSS": "Déclaré à la CNSS",
    "Started on": "Commencé le",
    "Ended on (if it has ended or has a set end)": (
        "Terminé le (s'il est terminé ou a une fin prévue)"
    ),
    "How this is documented (contract, payslip, CNSS record, phone call…)": (
        "Justificatif (contrat, bulletin de paie, relevé CNSS, appel téléphonique…)"
    ),
    "Situation": "Situation",
    "Since": "Depuis",
    "Reason (for an exclusion only)": "Motif (pour une exclusion uniquement)",
    "None": "Aucun",
    "Note": "Note",
    "confirmed": "confirmé",
    "From %(start)s": "Du %(start)s",
    "to %(end)s": "au %(end)s",
    "%(n)s h a week": "%(n)s h par semaine",
    "%(pay)s MAD a month": "%(pay)s MAD par mois",
    "written contract": "contrat écrit",
    "no written contract": "sans contrat écrit",
    "declared to the CNSS": "déclaré à la CNSS",
    "not declared to the CNSS": "non déclaré à la CNSS",
    "through the brief %(title)s": "via le cahier des charges %(title)s",
    "since %(date)s": "depuis le %(date)s",
    "By": "Par",
    "Record": "Enregistrement",
    "(replaced)": "(remplacé)",
    "Replaces": "Remplace",
    "Nothing (a new record)": "Rien (nouvel enregistrement)",
    (
        "Graduates who report working at your company. Please confirm each job, correcting the "
        "figures if needed: a confirmed job counts before a learner's own report in the "
        "programme's figures."
    ): (
        "Les diplômé·es qui déclarent travailler dans votre entreprise. Confirmez chaque emploi, "
        "en corrigeant les chiffres si besoin : un emploi confirmé prime sur la déclaration de "
        "l'apprenant·e dans les chiffres du programme."
    ),
    "To confirm": "À confirmer",
    "No job waits for your confirmation.": "Aucun emploi n'attend votre confirmation.",
    "Confirm or correct": "Confirmer ou corriger",
    "Confirm this job": "Confirmer cet emploi",
    "Confirmed": "Confirmé",
    "No confirmed hire yet.": "Aucun recrutement confirmé pour l'instant.",
    "Graduate": "Diplômé·e",
    "Job": "Emploi",
    "Correct": "Corriger",
    "Confirm a job": "Confirmer un emploi",
    "Recorded by %(name)s on %(date)s.": "Enregistré par %(name)s le %(date)s.",
    "This record has been replaced by a newer one.": (
        "Cet enregistrement a été remplacé par un plus récent."
    ),
    "Correct a record": "Corriger un enregistrement",
    "The record is not erased: your correction replaces it, and both stay in the history.": (
        "L'enregistrement n'est pas effacé : votre correction le remplace, et les deux restent "
        "dans l'historique."
    ),
    "It is (or was) a job": "C'est (ou c'était) un emploi",
    "Save the correction": "Enregistrer la correction",
    "It is another situation": "C'est une autre situation",
    "Looks for a job in the field": "Cherche un emploi dans le domaine",
    "not stated (counts as yes)": "non précisé (compte comme oui)",
    "Graduated on": "Diplômé·e le",
    "Withdrew on": "Abandon le",
    "Current records": "Enregistrements en vigueur",
    "Nothing recorded.": "Rien d'enregistré.",
    "Record what a third party documented": "Enregistrer ce qu'un tiers a documenté",
    (
        "A CNSS match, a phone survey, an employer's letter: say which in the note. A documented "
        "record counts as confirmed."
    ): (
        "Une correspondance CNSS, une enquête téléphonique, une lettre de l'employeur : "
        "précisez-le dans la note. Un enregistrement documenté compte comme confirmé."
    ),
    "A job": "Un emploi",
    "Save the record": "Enregistrer",
    "A situation or an exclusion": "Une situation ou une exclusion",
    "History": "Historique",
    "Graduation": "Diplomation",
    (
        "Record the day each learner completed the programme (by default the cohort's last day, "
        "%(end)s). Placement figures count graduates only."
    ): (
        "Enregistrez le jour où chaque apprenant·e a terminé le programme (par défaut le dernier "
        "jour de la cohorte, %(end)s). Les chiffres d'insertion ne comptent que les diplômé·es."
    ),
    "No learner is enrolled in this cohort.": (
        "Aucun·e apprenant·e n'est inscrit·e dans cette cohorte."
    ),
    "withdrew on %(date)s": "abandon le %(date)s",
    "Clear": "Effacer",
    (
        "What you do after the bootcamp tells the programme what works. Your employer may confirm "
        "a job you report; a confirmed record can then only be changed by them or the programme. "
        "Every change is kept."
    ): (
        "Ce que vous faites après le bootcamp indique au programme ce qui fonctionne. Votre "
        "employeur peut confirmer un emploi que vous déclarez ; un enregistrement confirmé ne peut "
        "ensuite être modifié que par lui ou par le programme. Chaque modification est conservée."
    ),
    "You are not enrolled in any cohort yet.": (
        "Vous n'êtes inscrit·e dans aucune cohorte pour l'instant."
    ),
    "%(start)s to %(end)s": "Du %(start)s au %(end)s",
    "graduated on %(date)s": "diplômé·e le %(date)s",
    (
        "It has been %(days)s days since your cohort ended: what are you doing now? Report a job "
        "or your situation below."
    ): (
        "Votre cohorte s'est terminée il y a %(days)s jours : que faites-vous maintenant ? "
        "Déclarez un emploi ou votre situation ci-dessous."
    ),
    "Nothing has changed since my last report": "Rien n'a changé depuis ma dernière déclaration",
    "Your plans": "Vos projets",
    "After the bootcamp, will you look for a job in this field?": (
        "Après le bootcamp, chercherez-vous un emploi dans ce domaine ?"
    ),
    (
        "You answer once, in the first two weeks; the answer cannot change afterwards. It decides "
        "who counts in the programme's placement rate, before anyone knows the results."
    ): (
        "Vous répondez une seule fois, dans les deux premières semaines ; la réponse ne peut plus "
        "changer ensuite. Elle détermine qui compte dans le taux d'insertion du programme, avant "
        "que quiconque connaisse les résultats."
    ),
    "Yes, I will look for a job in this field": "Oui, je chercherai un emploi dans ce domaine",
    "No (studies, another field, my own plans…)": (
        "Non (études, autre domaine, projets personnels…)"
    ),
    "Save my answer": "Enregistrer ma réponse",
    "You said you would look for a job in this field.": (
        "Vous avez indiqué que vous chercheriez un emploi dans ce domaine."
    ),
    "You said you would not look for a job in this field.": (
        "Vous avez indiqué que vous ne chercheriez pas d'emploi dans ce domaine."
    ),
    "(recorded, cannot change)": "(enregistré, non modifiable)",
    "You did not say whether you would look for a job in this field; you count as looking.": (
        "Vous n'avez pas indiqué si vous chercheriez un emploi dans ce domaine ; vous êtes "
        "compté·e comme en recherche."
    ),
    "Your situation now": "Votre situation actuelle",
    "Nothing reported yet.": "Rien de déclaré pour l'instant.",
    "Report a job": "Déclarer un emploi",
    "Report this job": "Déclarer cet emploi",
    "Report another situation (looking, not looking, excluded)": (
        "Déclarer une autre situation (en recherche, pas en recherche, exclu·e)"
    ),
    "Report this situation": "Déclarer cette situation",
    "Placement outcomes": "Insertion professionnelle",
    "Window": "Échéance",
    "%(days)s days": "%(days)s jours",
    "Group by": "Regrouper par",
    "Report date": "Date du rapport",
    "Show": "Afficher",
    (
        "%(days)s days after each cohort ended, for the cohorts whose window had elapsed on "
        "%(date)s; decent jobs pay at least %(wage)s MAD a month."
    ): (
        "%(days)s jours après la fin de chaque cohorte, pour les cohortes dont l'échéance était "
        "passée le %(date)s ; un emploi décent paie au moins %(wage)s MAD par mois."
    ),
    "Download CSV": "Télécharger le CSV",
    "Download JSON": "Télécharger le JSON",
    "No cohort had reached the end of this window on the report date.": (
        "Aucune cohorte n'avait atteint cette échéance à la date du rapport."
    ),
    "Figures by group": "Chiffres par groupe",
    (
        "Each count links to the records behind it. Shares are of graduates; rates are of "
        "graduates who sought an in-field job."
    ): (
        "Chaque effectif renvoie aux enregistrements correspondants. Les parts portent sur les "
        "diplômé·es ; les taux, sur les diplômé·es qui cherchaient un emploi dans le domaine."
    ),
    "On time": "Dans les délais",
    "Outcome categories: count (share of graduates)": (
        "Catégories d'insertion : effectif (part des diplômé·es)"
    ),
    "In-field rate": "Taux dans le domaine",
    "Decent in-field rate": "Taux d'emploi décent dans le domaine",
    "Median monthly base pay (MAD)": "Salaire de base mensuel médian (MAD)",
    "Retention at %(months)s months": "Maintien dans l'emploi à %(months)s mois",
    "n": "n",
    "Charts": "Graphiques",
    "Outcome categories, as a share of graduates": "Catégories d'insertion, en part des diplômé·es",
    "In-field rate beside the decent in-field rate": (
        "Taux dans le domaine à côté du taux d'emploi décent dans le domaine"
    ),
    "Progress toward the national target": "Progression vers l'objectif national",
    "%(graduated)s graduated of %(target)s to train (%(share)s); %(enrolled)s enrolled in all.": (
        "%(graduated)s diplômé·es sur %(target)s à former (%(share)s) ; %(enrolled)s inscrit·es au "
        "total."
    ),
    "All regions": "Toutes les régions",
    "National target": "Objectif national",
    "How these figures are defined": "Définition de ces chiffres",
    (
        "The %(days)s-day report covers the cohorts that ended at least %(days)s days before the "
        "report date. Each learner's situation is the one on the window date, the cohort's end "
        "plus %(days)s days: a record confirmed by an employer or a third party outranks the "
        "learner's own report, then the most recent one wins."
    ): (
        "Le rapport à %(days)s jours couvre les cohortes terminées au moins %(days)s jours avant "
        "la date du rapport. La situation de chaque apprenant·e est celle à la date d'échéance, "
        "soit la fin de la cohorte plus %(days)s jours : un enregistrement confirmé par un "
        "employeur ou un tiers prime sur la déclaration de l'apprenant·e, puis le plus récent "
        "l'emporte."
    ),
    "Categories and not reporting": "Catégories et sans réponse",
    (
        "Every category is counted over graduates, so the categories add up to the graduates. A "
        "graduate with no record holding on the window date is not reporting; that share is always "
        "shown."
    ): (
        "Chaque catégorie est comptée sur les diplômé·es, de sorte que les catégories totalisent "
        "les diplômé·es. Un·e diplômé·e sans enregistrement valable à la date d'échéance est sans "
        "réponse ; cette part est toujours affichée."
    ),
    (
        "Graduates in an in-field job, over the graduates who said at enrolment that they sought "
        "an in-field job, or never said (silence counts as seeking), less the excluded. Someone "
        "who later reports not seeking stays in the denominator."
    ): (
        "Les diplômé·es en emploi dans le domaine, rapporté·es aux diplômé·es qui ont déclaré à "
        "l'inscription chercher un emploi dans le domaine, ou ne l'ont jamais précisé (le silence "
        "compte comme une recherche), moins les exclu·es. Une personne qui déclare ensuite ne pas "
        "être en recherche reste au dénominateur."
    ),
    (
        "The same, counting only in-field jobs that pay at least the minimum wage (%(wage)s MAD a "
        "month) and are declared to the CNSS. A missing pay or declaration is not decent."
    ): (
        "La même chose, en ne comptant que les emplois dans le domaine payés au moins au salaire "
        "minimum (%(wage)s MAD par mois) et déclarés à la CNSS. Un salaire ou une déclaration "
        "manquant n'est pas décent."
    ),
    "Median base pay": "Salaire de base médian",
    (
        "The middle monthly base pay, before bonuses, of the graduates in a category whose pay is "
        "known."
    ): (
        "Le salaire de base mensuel médian, hors primes, des diplômé·es d'une catégorie dont le "
        "salaire est connu."
    ),
    "Retention at 6 and 12 months": "Maintien dans l'emploi à 6 et 12 mois",
    (
        "Of the in-field jobs counted in the window that started at least 6 (12) months before the "
        "report date (n), the share not known to have ended before then."
    ): (
        "Parmi les emplois dans le domaine comptés à l'échéance et commencés au moins 6 (12) mois "
        "avant la date du rapport (n), la part dont on ne sait pas qu'elle s'est terminée avant."
    ),
    (
        "One bar per group, split into the share of graduates in each outcome category, not "
        "reporting included. The table above gives the same figures."
    ): (
        "Une barre par groupe, découpée selon la part des diplômé·es dans chaque catégorie "
        "d'insertion, sans réponse compris. Le tableau ci-dessus donne les mêmes chiffres."
    ),
    "no graduates": "aucun·e diplômé·e",
    (
        "Two bars per group: graduates in an in-field job, then in a decent in-field job (at least "
        "the minimum wage, declared to the CNSS), as a share of graduates who sought an in-field "
        "job. The table above gives the same figures."
    ): (
        "Deux barres par groupe : les diplômé·es en emploi dans le domaine, puis en emploi décent "
        "dans le domaine (au moins le salaire minimum, déclaré à la CNSS), en part des diplômé·es "
        "qui cherchaient un emploi dans le domaine. Le tableau ci-dessus donne les mêmes chiffres."
    ),
    "nobody sought an in-field job": "personne ne cherchait d'emploi dans le domaine",
    "Progress toward the national target, by region": (
        "Progression vers l'objectif national, par région"
    ),
    (
        "First bar: %(graduated)s learners graduated of the %(target)s the programme is to train. "
        "Then one bar per region with its graduates. The table beside gives the same figures."
    ): (
        "Première barre : %(graduated)s apprenant·es diplômé·es sur les %(target)s que le "
        "programme doit former. Puis une barre par région avec ses diplômé·es. Le tableau à côté "
        "donne les mêmes chiffres."
    ),
    "Records behind a figure": "Enregistrements derrière un chiffre",
    "Figure": "Chiffre",
    "Rows": "Lignes",
    (
        "Personal data minimised: learners appear under a pseudonym, and an employer is named only "
        "when it is a partner company. Auditors see the full records."
    ): (
        "Données personnelles minimisées : les apprenant·es apparaissent sous pseudonyme, et un "
        "employeur n'est nommé que s'il est une entreprise partenaire. Les auditeur·rices voient "
        "les enregistrements complets."
    ),
    "Records": "Enregistrements",
    "Category": "Catégorie",
    "Monthly base pay (MAD)": "Salaire de base mensuel (MAD)",
    "Source": "Source",
    "Start": "Début",
    "End": "Fin",
    "Did not graduate": "Non diplômé·e",
    "withheld": "masqué",
    "No record behind this figure.": "Aucun enregistrement derrière ce chiffre.",
    "No track yet": "Aucun parcours pour l'instant",
    "E-mail:": "E-mail :",
    "Certificates": "Certificats",
    "issued on %(d)s": "délivré le %(d)s",
    "verify": "vérifier",
    "No certificate issued yet.": "Aucun certificat délivré pour l'instant.",
    "No module completed yet.": "Aucun module terminé pour l'instant.",
    "reviewed on %(d)s": "évalué le %(d)s",
    "My company's interests": "Les intérêts de mon entreprise",
    "E-mail": "E-mail",
    "Updated": "Mis à jour",
    "profile withdrawn": "profil retiré",
    "Your company has not marked interest in anyone yet.": (
        "Votre entreprise n'a encore marqué d'intérêt pour personne."
    ),
    "My invitations": "Mes invitations",
    "Your profile is hidden: make it visible to accept an invitation.": (
        "Votre profil est masqué : rendez-le visible pour accepter une invitation."
    ),
    "Accept": "Accepter",
    "Decline": "Refuser",
    "Withdraw my acceptance": "Retirer mon acceptation",
    "Accepting shows your e-mail address to this company.": (
        "Accepter montre votre adresse e-mail à cette entreprise."
    ),
    "No invitation yet.": "Aucune invitation pour l'instant.",
    "Your company's interest:": "Intérêt de votre entreprise :",
    "Mark my interest": "Marquer mon intérêt",
    "The learner is not told.": "L'apprenant·e n'en est pas informé·e.",
    "Invitation to an interview (date, place, role)": (
        "Invitation à un entretien (date, lieu, poste)"
    ),
    "Invite": "Inviter",
    "Record the hire": "Enregistrer le recrutement",
    "Contract": "Contrat",
    "First day": "Premier jour",
    "Last day (if known)": "Dernier jour (si connu)",
    "unknown": "inconnu",
    "Skill": "Compétence",
    "Words": "Mots",
    "Certified only": "Certifié·es uniquement",
    "Search": "Rechercher",
    "Profiles found: %(n)d": "Profils trouvés : %(n)d",
    "Name": "Nom",
    "Headline": "Titre",
    "Tracks": "Parcours",
    "Pages": "Pages",
    "Page %(page)d of %(pages)d": "Page %(page)d sur %(pages)d",
    "Partner companies can find your profile.": (
        "Les entreprises partenaires peuvent trouver votre profil."
    ),
    "Your profile is hidden: no company can see it.": (
        "Votre profil est masqué : aucune entreprise ne peut le voir."
    ),
    "Show my profile to partner companies": "Montrer mon profil aux entreprises partenaires",
    "About me (Markdown)": "À propos de moi (Markdown)",
    "My name shows": "Mon nom apparaît",
    "in full": "en entier",
    "as initials": "en initiales",
    (
        "Companies see your certificates, project results and skills as below. Your e-mail address "
        "is shown to a company only after you accept its invitation."
    ): (
        "Les entreprises voient vos certificats, vos résultats de projets et vos compétences comme "
        "ci-dessous. Votre adresse e-mail n'est montrée à une entreprise qu'après acceptation de "
        "son invitation."
    ),
    "What companies see": "Ce que voient les entreprises",
    "Graduation and intent": "Diplomation et intention",
    "Pages of groups": "Pages de groupes",
    "Groups %(first)s to %(last)s of %(total)s.": "Groupes %(first)s à %(last)s sur %(total)s.",
}
