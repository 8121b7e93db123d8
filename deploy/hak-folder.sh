#!/bin/sh
# Hak folder ruang kerja pipeline (README, "Pemasangan di server berkas kantor", langkah 3).
#
#   sudo sh deploy/hak-folder.sh /srv/spse spse suryo fauzi dewi rina teguh
#
# Argumen: folder ruang kerja, akun layanan, lalu setiap akun di access.roles (config.yaml).
# Jalankan ulang setiap kali akun ditambahkan pada access.roles; berkas di folder keputusan
# yang sudah ada tidak diubah pemiliknya.
#
# - Ruang kerja milik akun layanan dan grupnya (anggota grup: staf dan pejabat), tanpa hak tulis
#   grup kecuali pada inbox/ (staf meletakkan berkas di sana melalui Samba).
# - keputusan/<akun>/: milik akun itu, hanya akun itu dan akun layanan yang dapat menulis
#   (mode 0700 dan ACL POSIX untuk akun layanan; paket Debian "acl" menyediakan setfacl).
set -eu
if [ "$#" -lt 3 ]; then
    echo "Pakai: sudo sh $0 FOLDER_RUANG_KERJA AKUN_LAYANAN AKUN_PEJABAT..." >&2
    exit 2
fi
ruang=$1
layanan=$2
shift 2
grup=$(id -gn "$layanan")
find "$ruang" -path "$ruang/keputusan" -prune -o -exec chown "$layanan:$grup" {} +
chmod 2750 "$ruang"
chmod 2770 "$ruang/inbox"
install -d -o "$layanan" -g "$grup" -m 0751 "$ruang/keputusan"
for akun in "$@"; do
    id "$akun" >/dev/null
    install -d -o "$akun" -g "$grup" -m 0700 "$ruang/keputusan/$akun"
    setfacl -b "$ruang/keputusan/$akun"
    setfacl -m "u:$layanan:rwx,d:u:$layanan:rwx,d:u:$akun:rwx,d:g::---,d:o::---" "$ruang/keputusan/$akun"
done
echo "Hak folder ruang kerja $ruang sudah diatur. Periksa dengan: sudo -u $layanan pipeline --config $ruang/config.yaml doctor"
