# edit_pair.sh HOTAST COMPILER OPT CASE, in a folder that holds CASE.1.h,
# CASE.2.h and CASE.cpp (or CASE.c), which includes "w.h": compiles the
# source through hotast with CASE.1.h as w.h, then with CASE.2.h (a fresh
# cache each time), and prints whether the second object, and what that
# compile printed, equal the compiler's own compile of the same sources, and
# hotast's decision.
H=$1 CC=$2 O=$3 C=$4
SRC=$C.cpp
[ -f $C.c ] && SRC=$C.c
rm -rf cache log
export HOTAST_DIR=$PWD/cache HOTAST_LOGFILE=$PWD/log
cp $C.1.h w.h
sleep 0.02 # written 10 ms or less before a compile: neither kept nor trusted
$H $CC $O -c $SRC -o a.o 2>/dev/null || exit 1
cp $C.2.h w.h
sleep 0.02
$H $CC $O -c $SRC -o a.o 2>hotast.err || exit 1
$CC $O -c $SRC -o plain.o 2>plain.err || exit 1
if cmp -s a.o plain.o; then R=equal; else R=DIFFERENT; fi
if ! cmp -s hotast.err plain.err; then R="$R, stderr DIFFERENT"; fi
[ -s plain.err ] && R="$R, warned"
echo "$CC $O $C: $R: $(tail -n 1 log | sed 's/^[^>]*> a.o: //')"
