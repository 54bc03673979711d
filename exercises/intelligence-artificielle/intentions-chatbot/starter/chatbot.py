"""Chatbot du service client de Hanout Online : reconnaître l'intention d'un message."""

import re
import unicodedata

from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import Pipeline

REPONSES = {
    "salutation": "Salam ! Bienvenue chez Hanout Online, comment puis-je vous aider ?",
    "suivi_commande": "Envoyez-nous le numéro de votre commande (il commence par HO-) et nous vérifions où elle en est.",
    "retour_remboursement": "Vous avez 14 jours pour retourner un article : un conseiller ouvre votre demande de retour.",
    "paiement": "Nous acceptons la carte bancaire, le virement et le paiement à la livraison.",
    "horaires_adresse": "Notre boutique du Maârif, à Casablanca, est ouverte de 9 h à 20 h, du lundi au samedi.",
}
REPONSE_INCOMPRISE = "Désolé, je n'ai pas compris. Pouvez-vous reformuler votre question ?"

# Messages étiquetés par le service client : (texte, intention)
EXEMPLES = [
    # salutation
    ("Salam", "salutation"),
    ("Salam alikoum", "salutation"),
    ("Bonjour", "salutation"),
    ("Bonsoir, vous êtes là ?", "salutation"),
    ("Slt cv ?", "salutation"),
    ("Salam labas ?", "salutation"),
    ("Coucou", "salutation"),
    ("Bonjour madame", "salutation"),
    ("Ahlan", "salutation"),
    ("Salam khouya, kif dayer ?", "salutation"),
    # suivi_commande
    ("Où est ma commande ?", "suivi_commande"),
    ("Fin wslat commande dyali ?", "suivi_commande"),
    ("Ma commande n'est toujours pas arrivée", "suivi_commande"),
    ("Je veux suivre mon colis", "suivi_commande"),
    ("Colis dyali mazal ma wslch", "suivi_commande"),
    ("Quand est-ce que je vais recevoir ma livraison ?", "suivi_commande"),
    ("Wach livraison ghadi tji lyoum ?", "suivi_commande"),
    ("J'ai commandé il y a une semaine et rien reçu", "suivi_commande"),
    ("Numéro de suivi de ma commande svp", "suivi_commande"),
    ("Le livreur ma jach", "suivi_commande"),
    # retour_remboursement
    ("Je veux être remboursé", "retour_remboursement"),
    ("Bghit nrj3 had le produit", "retour_remboursement"),
    ("Comment retourner un article ?", "retour_remboursement"),
    ("Le produit est arrivé cassé", "retour_remboursement"),
    ("Bghit flousi", "retour_remboursement"),
    ("Remboursement svp", "retour_remboursement"),
    ("La taille ne me va pas, je veux échanger", "retour_remboursement"),
    ("Article défectueux, je demande un retour", "retour_remboursement"),
    ("Ma 3jbatnich la couleur, bghit nbdlha", "retour_remboursement"),
    ("Vous m'avez envoyé le mauvais produit", "retour_remboursement"),
    # paiement
    ("Est-ce que je peux payer par carte ?", "paiement"),
    ("Wach kayn paiement 3nd livraison ?", "paiement"),
    ("Ma carte bancaire a été refusée", "paiement"),
    ("Kifach nkhlss ?", "paiement"),
    ("Paiement à la livraison possible ?", "paiement"),
    ("J'ai été débité deux fois", "paiement"),
    ("Wach n9der nkhlss b cash ?", "paiement"),
    ("Le paiement ne passe pas", "paiement"),
    ("Vous acceptez les virements ?", "paiement"),
    ("Problème de paiement avec ma carte", "paiement"),
    # horaires_adresse
    ("Quels sont vos horaires ?", "horaires_adresse"),
    ("Wach magasin m7loul nhar l7dd ?", "horaires_adresse"),
    ("Vous ouvrez à quelle heure ?", "horaires_adresse"),
    ("Fin kayn lmagasin dyalkom ?", "horaires_adresse"),
    ("Vous fermez à quelle heure le samedi ?", "horaires_adresse"),
    ("Adresse de la boutique à Casablanca ?", "horaires_adresse"),
    ("Wach ntouma m7loulin daba ?", "horaires_adresse"),
    ("Mnin kat7lou f sba7 ?", "horaires_adresse"),
    ("Horaires d'ouverture pendant le ramadan ?", "horaires_adresse"),
    ("Vous êtes ouverts le dimanche ?", "horaires_adresse"),
]


def nettoyer(texte):
    """Minuscules, sans accents, seulement lettres a-z et chiffres séparés par une seule espace."""
    texte = texte.lower()
    # TODO : retirer les accents (unicodedata.normalize("NFKD", ...) puis enlever les
    #        caractères « combinants »), remplacer tout ce qui n'est ni lettre a-z ni chiffre
    #        par une espace (re.sub), et supprimer les espaces en trop.
    return texte


def entrainer(textes, intentions):
    """Construit et entraîne un Pipeline (vectoriseur + classifieur) ; renvoie le modèle."""
    # TODO : ce modèle compte les mots tels quels. Il ne reconnaît pas « slm » ou
    #        « rembourser » s'il n'a vu que « salam » et « remboursé »... Améliorez-le.
    modele = Pipeline([("vecteurs", CountVectorizer()), ("classifieur", MultinomialNB())])
    modele.fit(textes, intentions)
    return modele


def predire_intention(modele, message):
    """Intention (str) prédite pour un seul message."""
    # TODO : predict attend une LISTE de textes et renvoie un tableau
    raise NotImplementedError("predire_intention n'est pas encore écrite")


def repondre(modele, message):
    """Réponse du chatbot : REPONSES[intention], ou REPONSE_INCOMPRISE si le message est vide une fois nettoyé."""
    # TODO
    raise NotImplementedError("repondre n'est pas encore écrite")
