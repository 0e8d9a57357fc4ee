[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("ControlPlane.Grains.Tests")]
