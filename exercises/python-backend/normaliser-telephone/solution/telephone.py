"""Validation et normalisation des numéros de téléphone marocains."""

INDICATIF = "+212"
PREFIXES_VALIDES = ("5", "6", "7")   # 5 : fixe, 6 et 7 : mobile


class NumeroInvalideError(ValueError):
    """Levée quand un numéro de téléphone ne peut pas être normalisé."""


def normaliser_telephone(numero):
    """Renvoie le numéro au format '+212XXXXXXXXX' ou lève NumeroInvalideError."""
    # 1. Nettoyage : on retire les séparateurs courants.
    brut = numero.strip().replace(" ", "").replace(".", "").replace("-", "")

    # 2. On isole les 9 chiffres significatifs selon le préfixe utilisé.
    #    L'ordre des tests compte : "00212..." commence aussi par "0" !
    if brut.startswith("+212"):
        reste = brut[4:]
    elif brut.startswith("00212"):
        reste = brut[5:]
    elif brut.startswith("0"):
        reste = brut[1:]
    else:
        raise NumeroInvalideError(
            f"Numéro {numero!r} : il doit commencer par 0, +212 ou 00212"
        )

    # 3. Exactement 9 chiffres, rien d'autre. isascii() écarte les chiffres
    #    arabes-indiens (« ٠٦ ») que isdigit() accepterait aussi.
    if len(reste) != 9 or not (reste.isascii() and reste.isdigit()):
        raise NumeroInvalideError(
            f"Numéro {numero!r} : 9 chiffres attendus après le préfixe"
        )

    # 4. Le premier chiffre indique le type de ligne.
    if reste[0] not in PREFIXES_VALIDES:
        raise NumeroInvalideError(
            f"Numéro {numero!r} : un numéro marocain commence par 05, 06 ou 07"
        )

    return INDICATIF + reste


def est_mobile(numero):
    """True si le numéro est un mobile (6 ou 7 après l'indicatif)."""
    # Pas de try/except ici : si le numéro est invalide, l'appelant doit le savoir.
    normalise = normaliser_telephone(numero)
    return normalise[len(INDICATIF)] in ("6", "7")


def nettoyer_liste(numeros):
    """Renvoie (valides, rejetes) : numéros normalisés sans doublon, entrées invalides."""
    valides = []
    deja_vus = set()      # recherche en O(1) pour détecter les doublons
    rejetes = []
    for numero in numeros:
        try:
            normalise = normaliser_telephone(numero)
        except NumeroInvalideError:
            rejetes.append(numero)
            continue
        if normalise not in deja_vus:
            deja_vus.add(normalise)
            valides.append(normalise)
    return valides, rejetes
