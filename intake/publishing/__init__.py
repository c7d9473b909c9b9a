"""Publishing: the portrait as data (view), its typography, PDF, stored renditions, exports."""
