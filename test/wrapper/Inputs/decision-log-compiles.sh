#!/bin/sh
# HOTAST CLANG NAME LOG CACHE: the compiles decision-log-reader.test logs,
# into LOG with the cache CACHE (NAME only tells the two runs apart).
H=$1 CC=$2 LOG=$4
export HOTAST_DIR=$PWD/$5 HOTAST_LOGFILE=$PWD/$LOG
"$H" "$CC" -O2 -c "a b.cpp" -o "a: b.o" || exit 1
"$H" "$CC" -O2 -c "a b.cpp" -o "a: b.o" || exit 1
echo '// a comment' >> h.h
sleep 0.02 # written 10 ms or less before a compile: neither kept nor trusted
"$H" "$CC" -O2 -c "a b.cpp" -o "a: b.o" || exit 1
"$H" "$CC" -O2 -c bad.cpp -o bad.o 2>/dev/null && exit 1
"$H" "$CC" -O2 -c clock.cpp -o clock.o || exit 1
"$H" "$CC" -E clock.cpp -o clock.i || exit 1
exit 0
