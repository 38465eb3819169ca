#!/usr/bin/env bash
# Installs the Debian packages the project needs, only where they are missing.
#   outils/paquets-systeme.sh pdf        Pango and a font (WeasyPrint, the PDFs)
#   outils/paquets-systeme.sh navigateur Chromium (the browser tests)
set -euo pipefail

manquants=()
for besoin in "$@"; do
  case "$besoin" in
    pdf)
      ldconfig -p | grep -q 'libpango-1.0.so' || manquants+=(libpango-1.0-0)
      ldconfig -p | grep -q 'libpangoft2-1.0.so' || manquants+=(libpangoft2-1.0-0)
      fc-list 2>/dev/null | grep -qi 'DejaVu Sans' || manquants+=(fontconfig fonts-dejavu-core)
      ;;
    navigateur)
      command -v chromium >/dev/null 2>&1 || manquants+=(chromium)
      ;;
    *)
      echo "paquets-systeme.sh : besoin inconnu « $besoin » (pdf ou navigateur)" >&2
      exit 2
      ;;
  esac
done

[ ${#manquants[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Paquets système manquants : ${manquants[*]}" >&2
  echo "Installez-les (par exemple : sudo apt-get install ${manquants[*]}), puis relancez." >&2
  exit 1
fi
echo "Installation des paquets système : ${manquants[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${manquants[@]}" >/dev/null
