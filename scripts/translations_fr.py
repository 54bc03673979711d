"""French translations of the interface, applied to lms/translations/fr (run after extraction).

Kept as a table so a translator can review every string at once; `pybabel update` keeps the
catalogue in sync with the code.
"""

from pathlib import Path

from babel.messages.pofile import read_po, write_po

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
}


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
