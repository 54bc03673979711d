"""Aide au dépistage : standardisation et régression logistique dans un Pipeline."""

from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler


def normaliser_sans_fuite(X_train, X_test):
    """Renvoie (X_train_std, X_test_std), le StandardScaler étant ajusté sur X_train seulement."""
    normaliseur = StandardScaler()
    X_train_std = normaliseur.fit_transform(X_train)   # apprend moyenne et écart-type ici…
    X_test_std = normaliseur.transform(X_test)         # … et les applique tels quels au test
    return X_train_std, X_test_std


def construire_pipeline(C=1.0):
    """Pipeline non entraîné : "normalisation" (StandardScaler) puis "classifieur" (LogisticRegression)."""
    return Pipeline(
        [
            ("normalisation", StandardScaler()),
            # max_iter=1000 : l'optimiseur a le temps de converger
            ("classifieur", LogisticRegression(C=C, max_iter=1000)),
        ]
    )


def evaluer(pipeline, X_train, X_test, y_train, y_test):
    """Entraîne le pipeline sur l'entraînement et renvoie son exactitude sur le test."""
    pipeline.fit(X_train, y_train)               # normaliseur puis classifieur, sur le train
    return float(pipeline.score(X_test, y_test))  # score = exactitude pour un classifieur
