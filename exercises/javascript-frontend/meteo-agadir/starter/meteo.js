'use strict';

// Widget météo : chargement asynchrone des prévisions depuis l'API.
// fetchFn est injectée : le vrai fetch dans le navigateur, une fausse version dans les tests.

const URL_API = 'https://api.meteo.example.ma/v1/previsions';

function construireUrl(ville, jours = 3) {
  // TODO : encodeURIComponent
  return `${URL_API}?ville=${ville}&jours=${jours}`;
}

async function chargerPrevisions(ville, fetchFn) {
  // TODO : vérifier reponse.ok, simplifier les prévisions
  const reponse = await fetchFn(construireUrl(ville));
  const donnees = await reponse.json();
  return donnees.previsions;
}

async function widgetMeteo(ville, fetchFn) {
  // TODO : try/catch ; ne jamais rejeter
  throw new Error('À écrire');
}

async function comparerVilles(villes, fetchFn) {
  // TODO : en parallèle, avec Promise.allSettled ; trier du plus chaud au plus frais
  throw new Error('À écrire');
}

async function reessayer(operation, tentatives = 3) {
  // TODO : jusqu'à `tentatives` appels, puis rejeter avec la dernière erreur
  return operation();
}

module.exports = { URL_API, construireUrl, chargerPrevisions, widgetMeteo, comparerVilles, reessayer };
