"""Reconnaissance de chiffres manuscrits (images 8 x 8, 64 pixels de 0 à 16)."""

from sklearn.tree import DecisionTreeClassifier


def entrainer(X_train, y_train):
    """Construit, entraîne sur (X_train, y_train) seulement, et renvoie un modèle avec predict."""
    # TODO : ce petit arbre se trompe environ une fois sur deux. Comparez d'autres
    # modèles par validation croisée sur VOTRE entraînement, puis gardez le meilleur.
    modele = DecisionTreeClassifier(max_depth=3, random_state=0)
    modele.fit(X_train, y_train)
    return modele
