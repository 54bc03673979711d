"""Validation et normalisation des numéros de téléphone marocains."""


class NumeroInvalideError(ValueError):
    """Levée quand un numéro de téléphone ne peut pas être normalisé."""


def normaliser_telephone(numero):
    """Renvoie le numéro au format '+212XXXXXXXXX' ou lève NumeroInvalideError."""
    # 1. Nettoyage : on retire les séparateurs courants
    chiffres = numero.strip().replace(" ", "").replace(".", "").replace("-", "")

    # TODO 2. Repérer le préfixe (+212, 00212 ou 0) et extraire les 9 chiffres
    # TODO 3. Vérifier qu'il s'agit bien de 9 chiffres (str.isdigit)
    # TODO 4. Vérifier que le premier chiffre est 5, 6 ou 7
    # TODO 5. Lever NumeroInvalideError avec un message clair en cas de problème
    return "+212" + chiffres[1:]


def est_mobile(numero):
    """True si le numéro est un mobile (6 ou 7 après l'indicatif)."""
    # TODO : s'appuyer sur normaliser_telephone
    raise NotImplementedError("est_mobile n'est pas encore écrite")


def nettoyer_liste(numeros):
    """Renvoie (valides, rejetes) : numéros normalisés sans doublon, entrées invalides."""
    valides = []
    rejetes = []
    # TODO : try / except NumeroInvalideError pour chaque numéro
    return valides, rejetes
