"""Aide au dépistage : standardisation et régression logistique dans un Pipeline."""

from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler


def normaliser_sans_fuite(X_train, X_test):
    """Renvoie (X_train_std, X_test_std), le StandardScaler étant ajusté sur X_train seulement."""
    normaliseur = StandardScaler()
    # TODO : fit sur X_train, transform sur X_train ET sur X_test
    raise NotImplementedError("normaliser_sans_fuite n'est pas encore écrite")


def construire_pipeline(C=1.0):
    """Pipeline non entraîné : "normalisation" (StandardScaler) puis "classifieur" (LogisticRegression)."""
    # TODO : Pipeline([("normalisation", ...), ("classifieur", ...)])
    raise NotImplementedError("construire_pipeline n'est pas encore écrite")


def evaluer(pipeline, X_train, X_test, y_train, y_test):
    """Entraîne le pipeline sur l'entraînement et renvoie son exactitude sur le test."""
    # TODO
    raise NotImplementedError("evaluer n'est pas encore écrite")
