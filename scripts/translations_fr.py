"""French translations of the interface, applied to lms/translations/fr (run after extraction).

Kept as a table so a translator can review every string at once; `pybabel update` keeps the
catalogue in sync with the code.
"""

from pathlib import Path

from babel.messages.pofile import read_po, write_po
from translations_fr_outcomes_a import FR_A  # placement outcomes, reports, talent pool
from translations_fr_outcomes_b import FR_B

FR = {
    "learner": "apprenant·e",
    "trainer": "formateur·rice",
    "company": "entreprise",
    "auditor": "auditeur·rice",
    "admin": "administration",
    "queued": "en attente",
    "running": "en cours",
    "graded": "corrigé",
    "error": "erreur",
    "passed": "réussi",
    "failed": "échoué",
    "timeout": "temps dépassé",
    "memory": "mémoire épuisée",
    "output": "sortie trop longue",
    "Please sign in to see this page.": "Connectez-vous pour voir cette page.",
    "Email": "Adresse e-mail",
    "Password": "Mot de passe",
    "Wrong email or password.": "Adresse e-mail ou mot de passe incorrect.",
    "Digital Skills LMS": "Compétences numériques",
    "Main": "Navigation principale",
    "Cohorts": "Cohortes",
    "My tracks": "Mes parcours",
    "My submissions": "Mes soumissions",
    "Language": "Langue",
    "Change": "Changer",
    "Sign out": "Se déconnecter",
    "Temporarily unavailable": "Service momentanément indisponible",
    "The database cannot be reached right now. Nothing you saved is lost; please try again in a "
    "moment.": "La base de données est injoignable pour le moment. Rien de ce que vous avez "
    "enregistré n'est perdu ; réessayez dans un instant.",
    "Page not found": "Page introuvable",
    "This page does not exist, or it is not yours to see.": "Cette page n'existe pas, ou elle ne vous est pas accessible.",
    "Access denied": "Accès refusé",
    "Your role does not give access to this page.": "Votre rôle ne donne pas accès à cette page.",
    "Back to the home page": "Retour à l'accueil",
    "Sign in": "Se connecter",
    "Breadcrumb": "Fil d'Ariane",
    "Track": "Parcours",
    "Difficulty %(n)s/5": "Difficulté %(n)s/5",
    "%(n)s points": "%(n)s points",
    "Best score:": "Meilleur score :",
    "Files": "Fichiers",
    "Submit": "Soumettre",
    "Ctrl+Enter also submits.": "Ctrl+Entrée soumet aussi.",
    "Submitted": "Soumis le",
    "Status": "Statut",
    "Score": "Score",
    "No submission yet.": "Aucune soumission pour l'instant.",
    "Sending…": "Envoi…",
    "The submission could not be sent:": "La soumission n'a pas pu être envoyée :",
    "You are not enrolled in any track yet. Your trainer or the programme team will add you to "
    "a cohort.": "Vous n'êtes inscrit·e à aucun parcours pour l'instant. Votre formateur·rice "
    "ou l'équipe du programme vous ajoutera à une cohorte.",
    "%(done)s of %(total)s exercises completed · %(points)s / %(max)s points": "%(done)s exercice(s) réussi(s) sur %(total)s · %(points)s / %(max)s points",
    "Lessons": "Leçons",
    "%(done)s of %(total)s exercises completed": "%(done)s exercice(s) réussi(s) sur %(total)s",
    "%(n)s min": "%(n)s min",
    "Submission #%(id)s": "Soumission n° %(id)s",
    "Waiting for a grader…": "En attente d'un correcteur…",
    "Running the tests…": "Exécution des tests…",
    "Limit reached: %(limit)s": "Limite atteinte : %(limit)s",
    "Exercise": "Exercice",
    "Learner": "Apprenant·e",
    "Graded in": "Corrigé en",
    "container: %(s)s s": "conteneur : %(s)s s",
    "Content commit": "Commit du contenu",
    "Grader image": "Image du correcteur",
    "Code hash": "Empreinte du code",
    "%(n)s problem(s) in the content": "%(n)s problème(s) dans le contenu",
    "Total": "Total",
    "No learner enrolled yet.": "Aucun·e apprenant·e inscrit·e pour l'instant.",
    "Cohort": "Cohorte",
    "Region": "Région",
    "Operator": "Opérateur",
    "Dates": "Dates",
    "Learners": "Apprenant·es",
    "working-tree": "copie de travail",
    "live": "en ligne",
    "retired": "retirée",
    "refused": "refusée",
    "Content": "Contenu",
    "Preview": "Aperçu",
    "Commit": "Commit",
    "Loaded": "Chargé le",
    "Problems": "Problèmes",
    "%(n)s submission(s) queued for re-grading.": "%(n)s soumission(s) mise(s) en file pour être recorrigée(s).",
    "Cannot preview %(ref)s: %(error)s": "Aperçu impossible pour %(ref)s : %(error)s",
    "Preview of commit %(commit)s: not live, not graded.": "Aperçu du commit %(commit)s : pas en ligne, pas corrigé.",
    "Re-grading against %(commit)s: %(done)s of %(total)s done": "Recorrection avec %(commit)s : %(done)s sur %(total)s terminée(s)",
    "Re-grade the latest submissions against the current release": "Recorriger les dernières soumissions avec la version actuelle",
    "Served now: commit %(commit)s, %(tracks)s track(s), %(exercises)s graded item(s).": "En ligne : commit %(commit)s, %(tracks)s parcours, %(exercises)s activité(s) notée(s).",
    "Preview a branch, tag or commit before it goes live": "Prévisualiser une branche, une étiquette ou un commit avant sa mise en ligne",
    "Preview of commit %(commit)s": "Aperçu du commit %(commit)s",
    "Nothing here is live: learners still see the current release.": "Rien n'est en ligne ici : les apprenant·es voient toujours la version actuelle.",
    "%(n)s submission(s) could not be graded by the platform": "%(n)s soumission(s) n'ont pas pu être corrigées par la plateforme",
    "No cohort yet.": "Aucune cohorte pour l'instant.",
    "Notifications": "Notifications",
    "(%(n)s unread)": "(%(n)s non lue(s))",
    "Mark all as read": "Tout marquer comme lu",
    "Mark as read": "Marquer comme lu",
    "Unread": "Non lue",
    "Open": "Ouvrir",
    "No notification yet.": "Aucune notification pour l'instant.",
    # Roles' work on projects: terms used throughout (brief = cahier des charges, rubric =
    # grille d'évaluation, deliverable = livrable, review = évaluation, hand in = remettre).
    "Exercises": "Exercices",
    "Projects": "Projets",
    "Company projects": "Projets d'entreprise",
    "Company": "Entreprise",
    "Project briefs": "Cahiers des charges",
    "My projects": "Mes projets",
    "My project results": "Mes résultats de projets",
    "Project results": "Résultats de projets",
    "Brief": "Cahier des charges",
    "New brief": "Nouveau cahier des charges",
    "Write a new brief": "Rédiger un nouveau cahier des charges",
    "Edit the brief": "Modifier le cahier des charges",
    "Save the brief": "Enregistrer le cahier des charges",
    "Brief saved (version %(n)d).": "Cahier des charges enregistré (version %(n)d).",
    "Your company has not written any brief yet.": "Votre entreprise n'a encore rédigé aucun cahier des charges.",
    "the brief, version %(n)d": "le cahier des charges, version %(n)d",
    "Version": "Version",
    "Versions": "Versions",
    "Version %(n)d": "Version %(n)d",
    "version %(n)d": "version %(n)d",
    "see the latest version": "voir la dernière version",
    "offered": "proposé",
    "editable": "modifiable",
    "Title": "Titre",
    "Skills": "Compétences",
    "Skills (comma-separated)": "Compétences (séparées par des virgules)",
    "Team size": "Taille des équipes",
    "Team size, minimum": "Taille des équipes, minimum",
    "maximum": "maximum",
    "Starts on": "Date de début",
    "Ends on": "Date de fin",
    "Changes": "Modifications",
    "Context": "Contexte",
    "Context (Markdown)": "Contexte (Markdown)",
    "Deliverables": "Livrables",
    "Deliverables (Markdown)": "Livrables (Markdown)",
    "Attachments": "Pièces jointes",
    "None.": "Aucune.",
    "Attach": "Joindre",
    "Choose a file to attach.": "Choisissez un fichier à joindre.",
    "Attachment added.": "Pièce jointe ajoutée.",
    "Cohorts working on it": "Cohortes qui y travaillent",
    "deadline %(d)s": "date limite : %(d)s",
    "%(n)d team(s)": "%(n)d équipe(s)",
    "A cohort has taken version %(n)d of this brief: it will not change. Saving makes version "
    "%(next)d, which cohorts offered from now on will get.": "Une cohorte a reçu la version "
    "%(n)d de ce cahier des charges : elle ne changera plus. Enregistrer crée la version "
    "%(next)d, que recevront les cohortes à qui le projet sera proposé désormais.",
    "What changes in this version (shown to trainers and reviewers)": "Ce qui change dans cette "
    "version (visible par les formateur·rices et les évaluateur·rices)",
    # Rubrics: the parser only reads the '##', '(…)', '-' and ':' structure, so the hints may
    # name the parts in French.
    "Rubric": "Grille d'évaluation",
    "Criterion": "Critère",
    "Weight": "Poids",
    "weight %(w)s": "poids %(w)s",
    "Levels, lowest to highest": "Niveaux, du plus bas au plus haut",
    "One '## Criterion (weight)' heading per criterion, then its levels from lowest to highest "
    "as '- Level : description'. The lowest level earns nothing, the highest the full weight.": "Un "
    "titre '## Critère (poids)' par critère, puis ses niveaux du plus bas au plus haut, sous la "
    "forme '- Niveau : description'. Le niveau le plus bas ne rapporte aucun point, le plus haut "
    "rapporte la totalité du poids.",
    "Line %(n)d: a level comes before any criterion.": "Ligne %(n)d : un niveau apparaît avant tout critère.",
    "Line %(n)d: expected '## Criterion (weight)' or '- Level : description'.": "Ligne %(n)d : "
    "'## Critère (poids)' ou '- Niveau : description' attendu.",
    "Line %(n)d: the criterion %(name)s appears twice.": "Ligne %(n)d : le critère %(name)s apparaît deux fois.",
    "Line %(n)d: a weight must be above zero.": "Ligne %(n)d : un poids doit être supérieur à zéro.",
    "The rubric needs at least one criterion.": "La grille d'évaluation doit comporter au moins un critère.",
    "A rubric has at most %(n)d criteria.": "Une grille d'évaluation comporte au plus %(n)d critères.",
    "The criterion %(name)s needs between 2 and %(max)d levels.": "Le critère %(name)s doit avoir entre 2 et %(max)d niveaux.",
    # Automated checks of a brief.
    "Automated check (optional)": "Vérification automatique (facultative)",
    "Automated checks": "Vérifications automatiques",
    "Automated checks: %(score)s / %(max)s": "Vérifications automatiques : %(score)s / %(max)s",
    "Your test suite, run on each archive a team hands in, in the same sandbox as exercises. "
    "Reviewers see the result beside the rubric.": "Votre suite de tests, exécutée sur chaque "
    "archive remise par une équipe, dans le même bac à sable que les exercices. Les "
    "évaluateur·rices voient le résultat à côté de la grille d'évaluation.",
    "Grader": "Correcteur",
    "none": "aucun",
    "Test files (test_*.py or *.test.js)": "Fichiers de test (test_*.py ou *.test.js)",
    "Current files: %(names)s (kept unless you upload new ones).": "Fichiers actuels : %(names)s "
    "(conservés, sauf si vous en envoyez de nouveaux).",
    "Automated checks run with: %(names)s.": "Les vérifications automatiques s'exécutent avec : %(names)s.",
    "Upload the test files of the automated check.": "Envoyez les fichiers de test de la vérification automatique.",
    "No test found in the uploaded files (test_*.py functions or test() calls).": "Aucun test "
    "trouvé dans les fichiers envoyés (fonctions de test_*.py ou appels à test()).",
    "%(name)s: test files are test_*.py or *.test.js, up to 256 KiB.": "%(name)s : les fichiers "
    "de test sont des test_*.py ou des *.test.js de 256 Kio au plus.",
    "%(name)s is not UTF-8 text.": "%(name)s n'est pas un texte UTF-8.",
    # Checks on a brief and its offer.
    "This brief was offered to a cohort: say what changes in the new version.": "Ce cahier des "
    "charges a été proposé à une cohorte : indiquez ce qui change dans la nouvelle version.",
    "The title needs between 3 and 200 characters.": "Le titre doit compter entre 3 et 200 caractères.",
    "Unknown track: %(track)s.": "Parcours inconnu : %(track)s.",
    "Describe the context and the expected deliverables.": "Décrivez le contexte et les livrables attendus.",
    "Team sizes must satisfy 1 ≤ minimum ≤ maximum ≤ 12.": "La taille des équipes doit respecter "
    "1 ≤ minimum ≤ maximum ≤ 12.",
    "Team sizes must be whole numbers.": "Les tailles d'équipe doivent être des nombres entiers.",
    "The project cannot end before it starts.": "Le projet ne peut pas se terminer avant d'avoir commencé.",
    "Dates are written YYYY-MM-DD.": "Les dates s'écrivent AAAA-MM-JJ.",
    "This version was offered to a cohort; edit the brief first.": "Cette version a été proposée "
    "à une cohorte ; modifiez d'abord le cahier des charges.",
    "An attachment may not exceed %(mb)d MB.": "Une pièce jointe ne peut pas dépasser %(mb)d Mo.",
    "There is already an attachment named %(name)s.": "Il existe déjà une pièce jointe nommée %(name)s.",
    "This file name cannot be used.": "Ce nom de fichier ne peut pas être utilisé.",
    "This brief is for another track than the cohort's.": "Ce cahier des charges concerne un "
    "autre parcours que celui de la cohorte.",
    "A newer version of this brief exists; offer that one.": "Une version plus récente de ce "
    "cahier des charges existe ; proposez plutôt celle-ci.",
    "This brief is already offered to this cohort.": "Ce cahier des charges est déjà proposé à cette cohorte.",
    "The deadline is in the past.": "La date limite est déjà passée.",
    "The brief asks for teams of %(min)d to %(max)d.": "Le cahier des charges prévoit des équipes "
    "de %(min)d à %(max)d membres.",
    "Choose a brief.": "Choisissez un cahier des charges.",
    "Set a deadline.": "Fixez une date limite.",
    "Change the deadline": "Modifier la date limite",
    "Deadline moved to %(d)s.": "Date limite reportée au %(d)s.",
    "The brief is offered to the cohort.": "Le cahier des charges est proposé à la cohorte.",
    # A cohort's projects.
    "Deadline": "Date limite",
    "Deadline: %(d)s": "Date limite : %(d)s",
    "Deadline (last day, Casablanca time)": "Date limite (dernier jour, heure de Casablanca)",
    "Teams": "Équipes",
    "Reviewed": "Évaluées",
    "To review": "À évaluer",
    "No project offered to this cohort yet.": "Aucun projet proposé à cette cohorte pour l'instant.",
    "Offer a brief to the cohort": "Proposer un cahier des charges à la cohorte",
    "No company has written a brief for this track yet.": "Aucune entreprise n'a encore rédigé "
    "de cahier des charges pour ce parcours.",
    "Largest team": "Taille maximale des équipes",
    "Learners form their own teams": "Les apprenant·es forment leurs propres équipes",
    "Offer": "Proposer",
    "Read the briefs before offering them:": "Lisez les cahiers des charges avant de les proposer :",
    "No company project has been offered to your cohort yet.": "Aucun projet d'entreprise n'a "
    "encore été proposé à votre cohorte.",
    # Teams.
    "Your team:": "Votre équipe :",
    "You are not in a team for this project yet.": "Vous ne faites encore partie d'aucune équipe "
    "pour ce projet.",
    "teams of up to %(n)d": "équipes de %(n)d membres au plus",
    "You are in team %(name)s.": "Vous faites partie de l'équipe %(name)s.",
    "Open the team's page": "Ouvrir la page de l'équipe",
    "No team yet.": "Aucune équipe pour l'instant.",
    "Join a team": "Rejoindre une équipe",
    "Join %(name)s": "Rejoindre %(name)s",
    "or start a team named": "ou créer une équipe nommée",
    "Create": "Créer",
    "Form a team": "Former une équipe",
    "Team name": "Nom de l'équipe",
    "Learners not in a team yet": "Apprenant·es encore sans équipe",
    "Create the team": "Créer l'équipe",
    "Every learner of the cohort is in a team.": "Chaque apprenant·e de la cohorte fait partie d'une équipe.",
    "Team %(name)s": "Équipe %(name)s",
    "team %(team)s": "équipe %(team)s",
    "Team %(name)s created.": "Équipe %(name)s créée.",
    "You joined %(name)s.": "Vous avez rejoint %(name)s.",
    "You left the team.": "Vous avez quitté l'équipe.",
    "A team needs a name (up to 100 characters).": "Une équipe doit avoir un nom (100 caractères au plus).",
    "A team named %(name)s exists already.": "Une équipe nommée %(name)s existe déjà.",
    "A team needs at least one learner.": "Une équipe doit compter au moins un·e apprenant·e.",
    "Your trainer forms the teams for this project.": "Pour ce projet, c'est votre "
    "formateur·rice qui forme les équipes.",
    "The team has handed in work; ask your trainer to change it.": "L'équipe a déjà remis un "
    "livrable ; demandez à votre formateur·rice de la modifier.",
    "You are not in this team.": "Vous ne faites pas partie de cette équipe.",
    "%(name)s is not in this cohort.": "%(name)s ne fait pas partie de cette cohorte.",
    "%(name)s is already in a team.": "%(name)s fait déjà partie d'une équipe.",
    "Teams have at most %(n)d members.": "Les équipes comptent au plus %(n)d membres.",
    # Deliverables.
    "%(n)d version(s) handed in": "%(n)d version(s) remise(s)",
    "Versions handed in": "Versions remises",
    "Nothing handed in yet.": "Rien n'a encore été remis.",
    "Work is accepted until %(d)s.": "Les livrables sont acceptés jusqu'au %(d)s.",
    "Hand in a new version": "Remettre une nouvelle version",
    "Hand in": "Remettre",
    "Handed in on %(d)s.": "Remise le %(d)s.",
    "Version %(n)d handed in.": "Version %(n)d remise.",
    "Not handed in: %(reason)s": "Remise refusée : %(reason)s",
    "Repository": "Dépôt",
    "Git repository": "Dépôt Git",
    "Exact commit (full hash)": "Commit exact (empreinte complète)",
    "Archive": "Archive",
    "and/or a .zip archive (up to %(mb)d MB)": "et/ou une archive .zip (%(mb)d Mo au plus)",
    "Short report (Markdown)": "Court compte rendu (Markdown)",
    "%(score)s / %(max)s": "%(score)s / %(max)s",
    "The company's final review is in: the project is closed.": "L'entreprise a rendu son "
    "évaluation finale : le projet est clos.",
    "The deadline has passed.": "La date limite est dépassée.",
    "Give a repository and commit, or upload an archive, or both.": "Indiquez un dépôt et un "
    "commit, ou envoyez une archive, ou les deux.",
    "A repository needs the exact commit, and a commit its repository.": "Un dépôt doit être "
    "accompagné du commit exact, et un commit de son dépôt.",
    "The repository address must start with https://, ssh:// or git@.": "L'adresse du dépôt "
    "doit commencer par https://, ssh:// ou git@.",
    "The commit must be the full hash: 40 (or 64) hexadecimal digits.": "Le commit doit être "
    "donné par son empreinte complète : 40 (ou 64) caractères hexadécimaux.",
    "The report may not exceed %(n)d characters.": "Le compte rendu ne peut pas dépasser %(n)d caractères.",
    "The team has not handed in anything yet.": "L'équipe n'a encore rien remis.",
    # Archives handed in: why one is refused.
    "The archive is empty.": "L'archive est vide.",
    "Only .zip archives are accepted.": "Seules les archives .zip sont acceptées.",
    "The archive is larger than %(limit)s.": "L'archive dépasse %(limit)s.",
    "The archive unpacks to more than %(limit)s.": "Une fois décompressée, l'archive dépasse %(limit)s.",
    "The archive holds more than %(limit)s files and folders.": "L'archive contient plus de "
    "%(limit)s fichiers et dossiers.",
    "The archive expands more than %(ratio)s times its size; it looks like a zip bomb.": "Une "
    "fois décompressée, l'archive fait plus de %(ratio)s fois sa taille ; elle ressemble à une "
    "bombe de décompression.",
    "“%(name)s” expands more than %(ratio)s times its compressed size; the archive looks like a "
    "zip bomb.": "« %(name)s » fait plus de %(ratio)s fois sa taille compressée une fois "
    "décompressé ; l'archive ressemble à une bombe de décompression.",
    "“%(name)s” is not a valid UTF-8 file name.": "« %(name)s » n'est pas un nom de fichier UTF-8 valide.",
    "“%(name)s” contains control or invisible characters.": "« %(name)s » contient des "
    "caractères de contrôle ou invisibles.",
    "“%(name)s” is a symbolic link; only files and folders are accepted.": "« %(name)s » est un "
    "lien symbolique ; seuls les fichiers et les dossiers sont acceptés.",
    "“%(name)s” is a device, pipe or socket; only files and folders are accepted.": "« %(name)s » "
    "est un périphérique, un tube ou une socket ; seuls les fichiers et les dossiers sont acceptés.",
    "“%(name)s” is encrypted; upload an archive without a password.": "« %(name)s » est chiffré ; "
    "envoyez une archive sans mot de passe.",
    "“%(name)s” uses an unsupported compression method; use standard ZIP (Deflate).": "« %(name)s » "
    "utilise une méthode de compression non prise en charge ; utilisez le ZIP standard (Deflate).",
    "“%(name)s” is an absolute path; only relative paths are accepted.": "« %(name)s » est un "
    "chemin absolu ; seuls les chemins relatifs sont acceptés.",
    "“%(name)s” starts with a drive letter; only relative paths are accepted.": "« %(name)s » "
    "commence par une lettre de lecteur ; seuls les chemins relatifs sont acceptés.",
    "“%(name)s” contains backslashes; folders in a .zip are separated by “/”.": "« %(name)s » "
    "contient des barres obliques inverses ; dans un .zip, les dossiers sont séparés par « / ».",
    "“%(name)s” points outside the archive with “..”.": "« %(name)s » pointe hors de l'archive "
    "avec « .. ».",
    "“%(name)s” has an empty or “.” folder name in its path.": "« %(name)s » a un nom de dossier "
    "vide ou « . » dans son chemin.",
    "“%(name)s” has a file or folder name longer than 255 bytes.": "« %(name)s » a un nom de "
    "fichier ou de dossier de plus de 255 octets.",
    "“%(name)s” appears more than once in the archive.": "« %(name)s » figure plusieurs fois "
    "dans l'archive.",
    "“%(name)s” is both a file and a folder in the archive.": "« %(name)s » est à la fois un "
    "fichier et un dossier dans l'archive.",
    "“%(name)s” overlaps another file's data; the archive looks like a zip bomb.": "« %(name)s » "
    "chevauche les données d'un autre fichier ; l'archive ressemble à une bombe de décompression.",
    "“%(name)s” is damaged: its content does not match its declared size or checksum.": "« %(name)s » "
    "est endommagé : son contenu ne correspond pas à la taille ou à la somme de contrôle déclarées.",
    # Reviews.
    "Review": "Évaluation",
    "Reviews": "Évaluations",
    "Final review": "Évaluation finale",
    "Revision asked": "Révision demandée",
    "Your draft (not submitted)": "Votre brouillon (non envoyé)",
    "No review yet.": "Aucune évaluation pour l'instant.",
    "No final company review yet.": "Aucune évaluation finale de l'entreprise pour l'instant.",
    "Review this team's work": "Évaluer le travail de cette équipe",
    "Review of version %(n)d": "Évaluation de la version %(n)d",
    "reviewed by %(name)s on %(d)s": "évalué par %(name)s le %(d)s",
    "details": "détails",
    "Comment": "Commentaire",
    "Overall comment for the team": "Commentaire général pour l'équipe",
    "Why this review replaces the final one": "Pourquoi cette évaluation remplace l'évaluation finale",
    "Replaces the review of %(d)s: %(reason)s": "Remplace l'évaluation du %(d)s : %(reason)s",
    "A final review is in (%(score)s / %(max)s, %(d)s). A new one replaces it only with a reason.": "Une "
    "évaluation finale a été rendue (%(score)s / %(max)s, le %(d)s). Une nouvelle évaluation ne la "
    "remplace que si vous en donnez la raison.",
    "Final review: %(score)s / %(max)s by %(reviewer)s on %(date)s.": "Évaluation finale : "
    "%(score)s / %(max)s, par %(reviewer)s le %(date)s.",
    "Save the draft": "Enregistrer le brouillon",
    "Draft saved.": "Brouillon enregistré.",
    "Draft saved %(d)s.": "Brouillon enregistré le %(d)s.",
    "Draft saved at {time}.": "Brouillon enregistré à {time}.",
    "Ask for one revision": "Demander une révision",
    "Submit the final review": "Envoyer l'évaluation finale",
    "Review submitted and signed.": "Évaluation envoyée et signée.",
    "A submitted review is signed with your name and the time, and can no longer be edited.": "Une "
    "évaluation envoyée est signée de votre nom et de l'heure, et ne peut plus être modifiée.",
    "Signed: SHA-256 %(digest)s": "Signature : SHA-256 %(digest)s",
    "Not saved on the server (session expired or connection lost). Your text is kept in this "
    "browser: sign in again, then reopen this review to get it back.": "Non enregistré sur le "
    "serveur (session expirée ou connexion perdue). Votre texte est conservé dans ce navigateur : "
    "reconnectez-vous, puis rouvrez cette évaluation pour le retrouver.",
    "Restored what you typed before your session ended; it is not submitted yet.": "Ce que vous "
    "aviez saisi avant la fin de votre session a été restauré ; rien n'est encore envoyé.",
    "Choose between asking for a revision and a final review.": "Choisissez entre demander une "
    "révision et rendre l'évaluation finale.",
    "Choose a level for: %(names)s.": "Choisissez un niveau pour : %(names)s.",
    "Write an overall comment for the team.": "Rédigez un commentaire général pour l'équipe.",
    "The final review is in; a revision can no longer be asked.": "L'évaluation finale a été "
    "rendue ; une révision ne peut plus être demandée.",
    "A revision was already asked once for this team.": "Une révision a déjà été demandée à cette équipe.",
    "A final review exists: say why this one replaces it.": "Une évaluation finale existe déjà : "
    "expliquez pourquoi celle-ci la remplace.",
    # Notifications about projects.
    "New project: %(title)s": "Nouveau projet : %(title)s",
    '%(company)s\'s brief "%(title)s" is offered to %(cohort)s. Deadline: %(deadline)s.': "Le "
    "cahier des charges « %(title)s » de %(company)s est proposé à %(cohort)s. Date limite : "
    "%(deadline)s.",
    "%(team)s handed in version %(n)d": "%(team)s a remis la version %(n)d",
    'Team %(team)s handed in version %(n)d of "%(title)s".': "L'équipe %(team)s a remis la "
    "version %(n)d de « %(title)s ».",
    'Revision asked on "%(title)s"': "Révision demandée pour « %(title)s »",
    'Final review of "%(title)s"': "Évaluation finale de « %(title)s »",
    "%(reviewer)s reviewed team %(team)s: %(score)s / %(max)s.": "%(reviewer)s a évalué "
    "l'équipe %(team)s : %(score)s / %(max)s.",
    # Certification: thresholds (seuils), attendance (assiduité) per session (séance), and
    # certificates (issued = émis, pending = en attente d'approbation, revoked = révoqué).
    "My certification": "Ma certification",
    "Certification": "Certification",
    "Back to the cohort": "Retour à la cohorte",
    "Attendance": "Assiduité",
    "Attendance rate": "Taux d'assiduité",
    "Attendance saved: %(n)s change(s).": "Assiduité enregistrée : %(n)s modification(s).",
    "Save attendance": "Enregistrer l'assiduité",
    "Rate": "Taux",
    "%(name)s present on %(date)s": "%(name)s présent·e le %(date)s",
    "No session yet.": "Aucune séance pour l'instant.",
    "Add a session": "Ajouter une séance",
    "Date": "Date",
    "Title (optional)": "Titre (facultatif)",
    "Add the session": "Ajouter la séance",
    "Give the session's date.": "Indiquez la date de la séance.",
    "The session was not added: %(error)s": "La séance n'a pas été ajoutée : %(error)s",
    "Session of %(date)s added.": "Séance du %(date)s ajoutée.",
    "Import a CSV file": "Importer un fichier CSV",
    "UTF-8 text, at most %(kb)s kB, with a header line: date,email,present (and optionally "
    "title). Dates as YYYY-MM-DD; present as 1/0, oui/non, yes/no or present/absent. Sessions "
    "are created for new dates. Valid lines are recorded; each refused line is reported with its "
    "number.": "Texte UTF-8, %(kb)s Ko au plus, avec une ligne d'en-tête : date,email,present (et "
    "éventuellement title). Dates au format AAAA-MM-JJ ; présence en 1/0, oui/non, yes/no ou "
    "present/absent. Les séances sont créées pour les nouvelles dates. Les lignes valides sont "
    "enregistrées ; chaque ligne refusée est signalée avec son numéro.",
    "CSV file": "Fichier CSV",
    "Import": "Importer",
    "Choose a CSV file to import.": "Choisissez un fichier CSV à importer.",
    "The file was not imported: %(error)s": "Le fichier n'a pas été importé : %(error)s",
    "Import: %(recorded)s line(s) recorded, %(sessions)s session(s) created, %(errors)s line(s) "
    "refused.": "Import : %(recorded)s ligne(s) enregistrée(s), %(sessions)s séance(s) créée(s), "
    "%(errors)s ligne(s) refusée(s).",
    "Graded exercises (average best score)": "Exercices corrigés (moyenne des meilleurs scores)",
    "Quizzes (average best score)": "Quiz (moyenne des meilleurs scores)",
    "Projects assessed by a partner company": "Projets évalués par une entreprise partenaire",
    "Company-reviewed projects": "Projets évalués par une entreprise",
    "Modules completed": "Modules terminés",
    "Threshold": "Seuil",
    "Thresholds": "Seuils",
    "Required": "Exigé",
    "Achieved": "Atteint",
    "Met": "Atteint",
    "met": "atteint",
    "not met": "non atteint",
    "Missing:": "Manquant :",
    "yes": "oui",
    "no": "non",
    "every threshold met": "tous les seuils atteints",
    "not yet": "pas encore",
    "policy met": "conditions remplies",
    "policy not met": "conditions non remplies",
    "The certification policy of this track is not available yet.": "Les conditions de "
    "certification de ce parcours ne sont pas encore disponibles.",
    "The track's certification policy cannot be applied: %(error)s": "Les conditions de "
    "certification du parcours ne peuvent pas être appliquées : %(error)s",
    "Policy at commit %(commit)s.": "Conditions au commit %(commit)s.",
    "A trainer approves each certificate before it is issued.": "Un·e formateur·rice approuve "
    "chaque certificat avant qu'il soit émis.",
    "Certificates are issued as soon as every threshold is met.": "Les certificats sont émis dès "
    "que tous les seuils sont atteints.",
    "issued": "émis",
    "awaiting approval": "en attente d'approbation",
    "revoked": "révoqué",
    "Your certificate:": "Votre certificat :",
    "view and share it": "le consulter et le partager",
    "Every threshold is met: your certificate will be issued soon.": "Tous les seuils sont "
    "atteints : votre certificat sera émis prochainement.",
    "You are not enrolled in a cohort.": "Vous n'êtes inscrit·e dans aucune cohorte.",
    "Your choice is saved.": "Votre choix est enregistré.",
    "Certificate:": "Certificat :",
    "public page": "page publique",
    "Reason:": "Motif :",
    "Reason": "Motif",
    "No certificate.": "Aucun certificat.",
    "Issue": "Émettre",
    "Approve": "Approuver",
    "Revoke": "Révoquer",
    "No certificate for %(name)s: %(error)s": "Aucun certificat pour %(name)s : %(error)s",
    "Certificate of %(name)s awaits approval.": "Le certificat de %(name)s est en attente "
    "d'approbation.",
    "Certificate of %(name)s issued.": "Certificat de %(name)s émis.",
    "Not approved: %(error)s": "Non approuvé : %(error)s",
    "Certificate approved and issued.": "Certificat approuvé et émis.",
    "Not revoked: %(error)s": "Non révoqué : %(error)s",
    "Certificate revoked.": "Certificat révoqué.",
    # Public verification page of a certificate.
    "Certificate verification": "Vérification d'un certificat",
    "UNKNOWN": "INCONNU",
    "There is no such certificate. Check the address, or ask its holder for the link printed on "
    "the certificate.": "Ce certificat n'existe pas. Vérifiez l'adresse, ou demandez à son "
    "titulaire le lien imprimé sur le certificat.",
    "QR code of this page": "QR code de cette page",
    "VALID": "VALIDE",
    "The certificate was issued and its signature checks.": "Le certificat a été émis et sa "
    "signature est vérifiée.",
    "REVOKED": "RÉVOQUÉ",
    "Revoked on %(date)s.": "Révoqué le %(date)s.",
    "INVALID": "NON VALIDE",
    "The stored credential does not match its signature: do not trust this certificate.": "Les "
    "données enregistrées ne correspondent pas à leur signature : ne vous fiez pas à ce "
    "certificat.",
    "Issuer": "Émetteur",
    "Issued on": "Émis le",
    "Signed credential (JSON)": "Attestation signée (JSON)",
    "Issuer and keys": "Émetteur et clés",
    "How your name shows on this page": "Affichage de votre nom sur cette page",
    "Full name": "Nom complet",
    "Initials": "Initiales",
    "Save": "Enregistrer",
    # Audit: auditor = auditeur·rice, evidence = preuve, bundle = lot de preuves, manifest =
    # manifeste, re-run = ré-exécution, reproduced / differs = reproduit / diffère.
    "Audit": "Audit",
    "Audit: certificate #%(id)s": "Audit : certificat n° %(id)s",
    "All certificates": "Tous les certificats",
    "Download the evidence bundle": "Télécharger le lot de preuves",
    "Policy commit": "Commit des conditions de certification",
    "Manifest SHA-256 (stored)": "Empreinte SHA-256 du manifeste (enregistrée)",
    "Manifest SHA-256 (recomputed)": "Empreinte SHA-256 du manifeste (recalculée)",
    "matches": "concorde",
    "MISMATCH: the manifest was changed after issuance": "DIFFÉRENCE : le manifeste a été "
    "modifié après l'émission",
    "Credential proof": "Preuve cryptographique de l'attestation",
    "not signed yet": "pas encore signée",
    "valid": "valide",
    "INVALID:": "INVALIDE :",
    "Audit chain": "Chaîne d'audit",
    "Evidence": "Preuve",
    "Detail": "Détail",
    "Review #%(id)s": "Évaluation n° %(id)s",
    "Attendance #%(id)s": "Présence n° %(id)s",
    "Audit: certificates": "Audit : certificats",
    "all": "tous",
    "Filter": "Filtrer",
    "Issued": "Émis le",
    "No certificate matches.": "Aucun certificat ne correspond.",
    "Previous": "Précédent",
    "Next": "Suivant",
    "Audit: re-run of submission #%(id)s": "Audit : ré-exécution de la soumission n° %(id)s",
    "Back to the submission": "Retour à la soumission",
    "The recorded files were graded again, synchronously, against the exercise at the recorded "
    "commit; nothing was stored.": "Les fichiers enregistrés ont été corrigés à nouveau, de "
    "manière synchrone, avec l'exercice du commit enregistré ; rien n'a été conservé.",
    "reproduced": "reproduit",
    "differs": "diffère",
    "Recorded": "Enregistré",
    "Re-run": "Ré-exécution",
    "Image digest": "Empreinte de l'image du correcteur",
    "Result per test (re-run)": "Résultat par test (ré-exécution)",
    "Audit: review #%(id)s": "Audit : évaluation n° %(id)s",
    "Reviewer": "Évaluateur·rice",
    "Team": "Équipe",
    "Digest": "Empreinte",
    "verified": "vérifiée",
    "MISMATCH: the review was changed after it was signed": "DIFFÉRENCE : l'évaluation a été "
    "modifiée après sa signature",
    "Deliverable": "Livrable",
    "Level": "Niveau",
    "Audit: submission #%(id)s": "Audit : soumission n° %(id)s",
    "Code hash (stored)": "Empreinte du code (enregistrée)",
    "Code hash (recomputed)": "Empreinte du code (recalculée)",
    "MISMATCH: the files differ from what was assessed": "DIFFÉRENCE : les fichiers diffèrent "
    "de ceux qui ont été évalués",
    "Re-run against the recorded commit": "Ré-exécuter avec le commit enregistré",
    "Runs now in the grader image and takes a few seconds; nothing is stored.": "S'exécute "
    "maintenant dans l'image du correcteur et prend quelques secondes ; rien n'est conservé.",
    "Result per test": "Résultat par test",
    "Test": "Test",
    "Points": "Points",
    "Message": "Message",
    "No test result recorded.": "Aucun résultat de test enregistré.",
    "Code submitted": "Code soumis",
    "The exercise at commit %(commit)s": "L'exercice au commit %(commit)s",
    "The snapshot of this commit is not available: the tests and lesson text it was graded "
    "against cannot be shown, nor can it be re-run.": "L'instantané de ce commit n'est pas "
    "disponible : les tests et le texte de la leçon utilisés pour la correction ne peuvent pas "
    "être affichés, et la soumission ne peut pas être ré-exécutée.",
    "This exercise is not in the snapshot of that commit.": "Cet exercice ne figure pas dans "
    "l'instantané de ce commit.",
}


FR |= FR_A | FR_B


def main() -> None:
    path = Path(__file__).resolve().parent.parent / "lms/translations/fr/LC_MESSAGES/messages.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale="fr")
    missing = []
    for message in catalog:
        if message.id:
            if message.id in FR:
                message.string = FR[message.id]
                message.flags.discard("fuzzy")
            else:
                missing.append(message.id)
    with path.open("wb") as f:
        write_po(f, catalog, width=100)
    if missing:
        raise SystemExit(f"untranslated: {missing}")


if __name__ == "__main__":
    main()
