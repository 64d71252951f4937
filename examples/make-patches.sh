#!/bin/sh
# Regenerates the built patches of the examples, so `npm start` shows what wix-uac says about
# patches next to the WiX sources they are meant for:
#
#   fabrikam-agent/bin/Release/FabrikamAgent-Hotfix1.msp
#     targets Agent.wxs's Product/@Id, signed by "CN=Fabrikam Patch Signing", a certificate
#     Agent.wxs does not list (it has no PatchCertificates at all).
#   contoso-tools/bin/Release/ContosoTools-Hotfix1.msp
#     targets Product.wxs's ProductCode, signed by "CN=Contoso Patch Signing", the certificate
#     contoso-tools/certificates/contoso-patch-signing.cer that Product.wxs lists.
#
# Each is a patch-shaped database (patch tables and a patch summary stream whose Template is the
# target ProductCode, MSP root CLSID) made with libmsi by scripts/fixtures/make-patch-database.py:
# readable and signable, not installable. Signatures: SHA-256, fixed signing time.
#
# keys/fabrikam-patch-signing.key is a throwaway key committed only so the example can be
# rebuilt; it protects nothing. The script reuses it, so a rerun writes the same bytes; with
# --new-key it makes a fresh key first (the Fabrikam patch's signer thumbprint then changes).
# The Fabrikam certificate is deliberately not kept in the examples: wix-uac's quick fix is to
# extract it from the signed patch. The Contoso key is the test fixture's,
# test/fixtures/certificates/contoso-patch-signing.key (also throwaway).
#
# Needs (Debian): openssl osslsigncode python3-gi gir1.2-libmsi-1.0
# Usage: sh examples/make-patches.sh [--new-key]   (from any folder)
set -eu

here=$(cd "$(dirname -- "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
make_patch_database="$repo/scripts/fixtures/make-patch-database.py"
fabrikam_key="$here/keys/fabrikam-patch-signing.key"
contoso_key="$repo/test/fixtures/certificates/contoso-patch-signing.key"
contoso_certificate="$here/contoso-tools/certificates/contoso-patch-signing.cer"

new_key=no
case "${1:-}" in
  '') ;;
  --new-key) new_key=yes ;;
  *) echo "usage: sh make-patches.sh [--new-key]" >&2; exit 2 ;;
esac

script=make-patches.sh
. "$repo/scripts/fixtures/script-setup.sh"
require_tools openssl osslsigncode
require_libmsi
start_work_folder

# --- the Fabrikam signer ------------------------------------------------------------------
# A self-signed code-signing certificate with fixed dates (scripts/fixtures/self-signed.sh).
# With the same key, the certificate comes out byte for byte the same.

mkdir -p "$here/keys"
if [ "$new_key" = yes ] || [ ! -f "$fabrikam_key" ]; then
  quietly openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/new.key"
  mv "$work/new.key" "$fabrikam_key"
fi

. "$repo/scripts/fixtures/self-signed.sh"
self_signed "$fabrikam_key" "/C=US/O=Fabrikam/CN=Fabrikam Patch Signing" \
  20240101000000Z 20491231235959Z 4F0001 code_signing "$work/fabrikam-patch-signing.pem"

# The Contoso certificate of the example must be the one the test fixture key belongs to.
openssl x509 -in "$contoso_certificate" -inform DER -out "$work/contoso-patch-signing.pem"
if [ "$(openssl x509 -in "$work/contoso-patch-signing.pem" -noout -pubkey)" != "$(openssl pkey -in "$contoso_key" -pubout)" ]; then
  echo "make-patches.sh: $contoso_key is not the key of $contoso_certificate" >&2
  exit 1
fi

# --- patches ------------------------------------------------------------------------------

# idt name header-lines... : writes an .idt file (tab-separated, CRLF line ends) into $work/<name>.
idt() {
  file="$work/$1"
  shift
  : > "$file"
  for line in "$@"; do printf '%s\r\n' "$line" >> "$file"; done
}

tab=$(printf '\t')

# Signing time 2024-06-01T00:00:00Z (inside both certificates' validity): fixed, so the
# signatures do not change between runs.
signed_at=1717200000

# make_patch output subject author target-product-code patch-guid family sequence signer-pem signer-key
#   metadata rows (Property=Value) are read from $work/metadata; signer "-" leaves the patch unsigned
make_patch() {
  output=$1 subject=$2 author=$3 target=$4 patch_guid=$5 family=$6 sequence=$7 pem=$8 key=$9
  idt MsiPatchSequence.idt \
    "PatchFamily${tab}ProductCode${tab}Sequence${tab}Attributes" \
    "s72${tab}S38${tab}s72${tab}I4" \
    "MsiPatchSequence${tab}PatchFamily${tab}ProductCode" \
    "$family${tab}${tab}$sequence${tab}"
  idt MsiPatchMetadata.idt \
    "Company${tab}Property${tab}Value" \
    "S72${tab}s72${tab}l0" \
    "MsiPatchMetadata${tab}Company${tab}Property"
  while IFS='=' read -r property value; do
    printf '%s\t%s\t%s\r\n' '' "$property" "$value" >> "$work/MsiPatchMetadata.idt"
  done < "$work/metadata"
  rm -f "$work/patch.msp"
  (cd "$work" && quietly "$python" "$make_patch_database" "$work/patch.msp" "$subject" "$author" \
    "$target" "$patch_guid" MsiPatchMetadata.idt MsiPatchSequence.idt)
  mkdir -p "$(dirname -- "$output")"
  rm -f "$output"
  if [ "$pem" = - ]; then
    cp "$work/patch.msp" "$output"
    echo "Wrote ${output#"$repo/"} (unsigned)"
    return
  fi
  quietly osslsigncode sign -certs "$pem" -key "$key" -h sha256 -time "$signed_at" \
    -n "$subject" -in "$work/patch.msp" -out "$output"
  echo "Wrote ${output#"$repo/"}"
}

# Fabrikam Agent: Agent.wxs Product/@Id; signed by a certificate the product does not list.
cat > "$work/metadata" <<EOF
AllowRemoval=1
Classification=Hotfix
Description=Fixes the service start-up of Fabrikam Agent
DisplayName=Fabrikam Agent Hotfix 1
ManufacturerName=Fabrikam
TargetProductName=Fabrikam Agent
EOF
make_patch "$here/fabrikam-agent/bin/Release/FabrikamAgent-Hotfix1.msp" \
  "Fabrikam Agent Hotfix 1" "Fabrikam" '{3C1E5A4D-8B2F-4D6E-A1C3-5F7B9D0E2A4C}' \
  '{7E2D4B19-3C6A-4F85-B0D2-91A4C8E6F301}' FabrikamAgent 3.1.1.0 \
  "$work/fabrikam-patch-signing.pem" "$fabrikam_key"

# Contoso Tools: Product.wxs Package/@ProductCode; signed by a certificate the product lists.
cat > "$work/metadata" <<EOF
AllowRemoval=1
Classification=Hotfix
Description=Fixes the readme of Contoso Tools
DisplayName=Contoso Tools Hotfix 1
ManufacturerName=Contoso Ltd
TargetProductName=Contoso Tools
EOF
make_patch "$here/contoso-tools/bin/Release/ContosoTools-Hotfix1.msp" \
  "Contoso Tools Hotfix 1" "Contoso Ltd" '{B43F7A2E-61C8-4D95-8E0B-2C7D5A9F1E36}' \
  '{5A8C1E37-94B2-4D6F-A0E5-3F7B2D9C4E18}' ContosoTools 1.2.1.0 \
  "$work/contoso-patch-signing.pem" "$contoso_key"

# Contoso Tools Hotfix 2: what `dotnet build` of contoso-hotfix/Hotfix.wixproj leaves before any
# signing step runs, so the walkthrough in the README starts from an unsigned patch.
cat > "$work/metadata" <<EOF
AllowRemoval=1
Classification=Hotfix
Description=Fixes the settings dialog of Contoso Tools
DisplayName=Contoso Tools Hotfix 2
ManufacturerName=Contoso Ltd
MoreInfoURL=https://support.contoso.example/kb/1002
TargetProductName=Contoso Tools
EOF
make_patch "$here/contoso-hotfix/bin/x64/Release/ContosoTools-Hotfix2.msp" \
  "Contoso Tools Hotfix 2" "Contoso Ltd" '{B43F7A2E-61C8-4D95-8E0B-2C7D5A9F1E36}' \
  '{C2F5A7D1-6B3E-4A29-8D4C-0E1F3B5A7C92}' SettingsFix 1.2.2.0 - -
