#!/bin/sh
# /suite.sh of make demo: the tour's own runner (scripts/demo/tour.sh),
# every chapter or those matching $VMLAB_CHAPTER; demo_test runs the same.
exec sh /opt/vmlab/bin/tour.sh "${VMLAB_CHAPTER:-}"
