'use strict';

// Widget météo : chargement asynchrone des prévisions depuis l'API.
// fetchFn est injectée : le vrai fetch dans le navigateur, une fausse version dans les tests.

const URL_API = 'https://api.meteo.example.ma/v1/previsions';

/** Adresse de l'API ; le nom de ville est encodé (espaces, accents, &...). */
const construireUrl = (ville, jours = 3) =>
  `${URL_API}?ville=${encodeURIComponent(ville)}&jours=${jours}`;

/** Prévisions simplifiées ; rejette en cas d'erreur HTTP ou réseau. */
async function chargerPrevisions(ville, fetchFn) {
  const reponse = await fetchFn(construireUrl(ville));
  // fetch ne rejette pas pour un 404 ou un 500 : c'est à nous de vérifier.
  if (!reponse.ok) {
    throw new Error(`Erreur HTTP ${reponse.status} pour ${ville}`);
  }
  const { previsions } = await reponse.json();
  return previsions.map(({ date, temperature: { min, max }, ciel }) => ({ date, min, max, ciel }));
}

/** État d'affichage du widget ; la promesse est toujours résolue. */
async function widgetMeteo(ville, fetchFn) {
  try {
    const [aujourdhui] = await chargerPrevisions(ville, fetchFn);
    if (!aujourdhui) {
      throw new Error(`Aucune prévision pour ${ville}`);
    }
    const { min, max, ciel } = aujourdhui;
    return { etat: 'ok', texte: `${ville} : ${min} à ${max} °C, ${ciel}` };
  } catch (erreur) {
    // Dans une vraie application, on enverrait aussi `erreur` à un outil de suivi.
    return { etat: 'erreur', texte: `Météo indisponible pour ${ville}.` };
  }
}

/** [{ ville, max }] du jour, du plus chaud au plus frais ; les échecs sont ignorés. */
async function comparerVilles(villes, fetchFn) {
  // Toutes les requêtes partent ici, avant le moindre await : elles sont parallèles.
  const resultats = await Promise.allSettled(villes.map((ville) => chargerPrevisions(ville, fetchFn)));
  return resultats
    .map((resultat, i) => ({ ville: villes[i], resultat }))
    .filter(({ resultat }) => resultat.status === 'fulfilled' && resultat.value.length > 0)
    .map(({ ville, resultat }) => ({ ville, max: resultat.value[0].max }))
    .sort((a, b) => b.max - a.max);
}

/** Appelle operation() jusqu'à `tentatives` fois ; rejette avec la dernière erreur. */
async function reessayer(operation, tentatives = 3) {
  let derniereErreur;
  for (let essai = 1; essai <= tentatives; essai += 1) {
    try {
      return await operation(); // le await est indispensable pour attraper le rejet ici
    } catch (erreur) {
      derniereErreur = erreur;
    }
  }
  throw derniereErreur;
}

module.exports = { URL_API, construireUrl, chargerPrevisions, widgetMeteo, comparerVilles, reessayer };
